# syntax=docker/dockerfile:1

# ---- Build stage ---------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build

# POM first: the dependency layer is only rebuilt when pom.xml changes.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline

COPY src/ src/
# codegen.skip: the OpenAPI client is only needed by the contract tests; exec.skip: the contract's YAML (pom.xml,
# contract-yaml) is not part of the image.
RUN mvn -B -q package -Dmaven.test.skip=true -Dcodegen.skip=true -Dexec.skip=true

# ---- Runtime stage -------------------------------------------------------
FROM eclipse-temurin:17-jre

# curl is only here for the HEALTHCHECK.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*

# Fixed numeric uid/gid so Kubernetes runAsUser/fsGroup (10001) and
# runAsNonRoot can verify it without resolving names.
RUN groupadd --system --gid 10001 downline \
 && useradd --system --uid 10001 --gid 10001 --home-dir /deployments --shell /usr/sbin/nologin downline

WORKDIR /deployments

# One layer per fast-jar directory, least to most frequently changing.
COPY --from=build --chown=10001:10001 /build/target/quarkus-app/lib/ lib/
COPY --from=build --chown=10001:10001 /build/target/quarkus-app/*.jar ./
COPY --from=build --chown=10001:10001 /build/target/quarkus-app/app/ app/
COPY --from=build --chown=10001:10001 /build/target/quarkus-app/quarkus/ quarkus/

# Heap sized from the container memory limit; JBoss LogManager so Quarkus
# logging (incl. JSON) owns java.util.logging.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Djava.io.tmpdir=/tmp" \
    LANG=C.UTF-8

EXPOSE 8080 9000
USER 10001

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:9000/q/health/live >/dev/null || exit 1

# Shell form via sh -c so $JAVA_OPTS is expanded; exec keeps java as PID 1
# (gets SIGTERM) and "$@" forwards program args, e.g. `migrate`.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar \"$@\"", "--"]
CMD []
