# Steps of the period-close crash test, which runs one packaged service (scripts/lib/service.sh runs several): logging, psql on the test's database, free ports, and
# starting/stopping the service. Source it after setting NAME (the log prefix), WORK (logs), DB_* and CRASH_DB_NAME;
# start_service needs HTTP_PORT and MANAGEMENT_PORT and passes the caller's environment on (e.g. COMMISSION_* settings).
# shellcheck shell=bash

DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-5432}
DB_USER=${DB_USER:-postgres}
export PGPASSWORD=${DB_PASSWORD:-}
ADMIN_USER='admin'
ADMIN_PASSWORD='admin-demo-pass'

service_pid=
starts=0

log() { echo "$NAME: $*" >&2; }
die() { log "FAILED: $*"; exit 1; }

stop_service() {
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
    log "stopping the service (pid $service_pid)"
    kill "$service_pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$service_pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
  fi
}

# kill -9 of the service this script started, as a crash would end it
crash_service() {
  log "kill -9 $service_pid"
  kill -9 "$service_pid"
  wait "$service_pid" 2>/dev/null || true
  service_pid=
}

psql_db() { psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$CRASH_DB_NAME" -v ON_ERROR_STOP=1 -Atq "$@"; }
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 12000))
    if [ "$port" != "${1:-}" ] && ! port_taken "$port"; then echo "$port"; return 0; fi
  done
  die "no free port found"
}

# empties the test's database, packages the service unless CRASH_SKIP_BUILD=true, and picks the ports
prepare_service() {
  scripts/ensure-db.sh "$CRASH_DB_NAME"
  psql_db -c 'set client_min_messages = warning; drop schema if exists crash cascade; drop schema if exists commission cascade;
              drop schema public cascade; create schema public;'
  rm -rf "$WORK"
  mkdir -p "$WORK/keys"
  if [ "${CRASH_SKIP_BUILD:-false}" != true ]; then
    log "packaging the service"
    mvn -B -q package -Dmaven.test.skip=true -Dcodegen.skip=true
  fi
  [ -f target/quarkus-app/quarkus-run.jar ] || die "target/quarkus-app/quarkus-run.jar is missing (build first)"
  # the KYC vault's master key has no default outside dev and test: one of this run's own, the same for every start
  KYC_MASTER_KEY=${KYC_MASTER_KEY:-$(head -c 32 /dev/urandom | base64)}
  HTTP_PORT=$(free_port)
  MANAGEMENT_PORT=$(free_port "$HTTP_PORT")
  BASE=http://127.0.0.1:$HTTP_PORT/api/v1
}

start_service() {
  starts=$((starts + 1))
  local out="$WORK/service-$starts.log"
  log "starting the service (start $starts) on port $HTTP_PORT; log in $out"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  env DB_HOST="$DB_HOST" DB_PORT="$DB_PORT" DB_USER="$DB_USER" DB_PASSWORD="${DB_PASSWORD:-}" DB_NAME="$CRASH_DB_NAME" \
    MANAGEMENT_PORT="$MANAGEMENT_PORT" MANAGEMENT_HOST=127.0.0.1 DEMO_SEED=true ACCESS_LOG=false \
    JWT_GENERATE_KEYS=true JWT_PRIVATE_KEY_LOCATION="$WORK/keys/jwt-private.pem" JWT_PUBLIC_KEY_LOCATION="$WORK/keys/jwt-public.pem" \
    BCRYPT_COST=4 PAYMENT_WEBHOOK_SECRET=crash-test-secret KYC_MASTER_KEY="$KYC_MASTER_KEY" KYC_STORAGE_DIR="$WORK/kyc" \
    java ${JAVA_OPTS:-} -Dquarkus.profile=crash -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$HTTP_PORT" \
    -jar target/quarkus-app/quarkus-run.jar >"$out" 2>&1 &
  service_pid=$!
  for _ in $(seq 1 180); do
    kill -0 "$service_pid" 2>/dev/null || { tail -n 30 "$out" >&2; die "the service exited while starting (see $out)"; }
    if curl -fsS -o /dev/null "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" 2>/dev/null; then
      log "service ready (pid $service_pid)"
      return 0
    fi
    sleep 1
  done
  die "the service was not ready after 180 s (see $out)"
}

admin_token() {
  curl -fsS -H 'Content-Type: application/json' -d "{\"username\":\"$ADMIN_USER\",\"password\":\"$ADMIN_PASSWORD\"}" \
    "$BASE/auth/token" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/'
}

# counts the rows a query finds; each check passes when it finds none
failures=0
passed=0
check() {
  local found
  found=$(psql_db -c "$2")
  if [ "$found" = 0 ]; then passed=$((passed + 1)); else log "VIOLATION: $1: $found"; failures=$((failures + 1)); fi
}
