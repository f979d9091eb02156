#!/usr/bin/env bash
# Runs Downline locally: makes sure PostgreSQL answers and the database exists, builds the service and starts it with
# the "local" profile: demo data, a signing key pair generated into .keys/, access logs and Swagger UI.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-db.sh "${DB_NAME:-downline}"
mvn -B -q package -Dmaven.test.skip=true -Dcodegen.skip=true
exec java ${JAVA_OPTS:-} -Dquarkus.profile=local -jar target/quarkus-app/quarkus-run.jar
