# Shared steps of the scripts that run the packaged service against a database of their own (crash tests, the
# two-instance test, the load benchmark): sourced, not run. The sourcing script sets, before sourcing:
#   SCRIPT_NAME  the name its messages start with
#   DB_NAME      its own database (emptied by reset_database)
#   WORK         the directory for logs, keys and records (emptied by reset_database)
# and may set SKIP_BUILD=true to use the jar already in target/quarkus-app. Instances are named (main, second, ...);
# each keeps its ports across restarts. stop_services stops every instance started; the script's EXIT trap calls it.

DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-5432}
DB_USER=${DB_USER:-postgres}
export PGPASSWORD=${DB_PASSWORD:-}
SKIP_BUILD=${SKIP_BUILD:-false}
# The demo seed's admin (src/main/java/io/downline/demo/DemoSeeder.java).
ADMIN_USER='admin'
ADMIN_PASSWORD='admin-demo-pass'
# One KYC master key for every instance and restart of this run (a vault written under one key is read under it).
SERVICE_KYC_KEY=${SERVICE_KYC_KEY:-$(openssl rand -base64 32)}

declare -A SERVICE_PID=() SERVICE_HTTP=() SERVICE_MGMT=() SERVICE_STARTS=()
CHECKS_PASSED=0
CHECKS_FAILED=0

log() { echo "$SCRIPT_NAME: $*" >&2; }
die() { log "FAILED: $*"; exit 1; }

psql_db() { psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$DB_NAME" -v ON_ERROR_STOP=1 -Atq "$@"; }

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A free port below the kernel's ephemeral range (32768 and up), so no outgoing connection can take it before a
# restart; never one of the ports already given out in this run. SERVICE_PORT_MIN and SERVICE_PORT_SPAN narrow the range
# (e.g. to the ports one engineer may use on a shared machine).
free_port() {
  local port taken
  for _ in $(seq 1 200); do
    port=$((${SERVICE_PORT_MIN:-20000} + RANDOM % ${SERVICE_PORT_SPAN:-12000}))
    taken=" ${SERVICE_HTTP[*]} ${SERVICE_MGMT[*]} "
    if [[ "$taken" != *" $port "* ]] && ! port_taken "$port"; then echo "$port"; return 0; fi
  done
  die "no free port found"
}

# Makes sure PostgreSQL answers and the database is the scripts' own (ensure-db.sh checks that), then empties it:
# every schema but PostgreSQL's own is dropped, so the service migrates from nothing.
reset_database() {
  scripts/ensure-db.sh "$DB_NAME"
  local schemas
  schemas=$(psql_db -c "select string_agg(quote_ident(nspname), ', ') from pg_namespace
                         where nspname not like 'pg\\_%' and nspname <> 'information_schema'")
  psql_db -c "set client_min_messages = warning; ${schemas:+drop schema $schemas cascade;} create schema public;"
  rm -rf "$WORK"
  mkdir -p "$WORK/keys"
}

# Packages the service once (as scripts/run.sh does), unless SKIP_BUILD=true.
package_service() {
  if [ "$SKIP_BUILD" != true ]; then
    log "packaging the service"
    mvn -B -q package -Dmaven.test.skip=true -Dcodegen.skip=true
  fi
  [ -f target/quarkus-app/quarkus-run.jar ] || die "target/quarkus-app/quarkus-run.jar is missing (build first)"
}

# start_service NAME [VAR=value ...]: starts (or restarts) the named instance with the extra environment given and waits
# until it is ready. A profile of its own ("crash"): nothing of the local profile applies; everything needed is set here.
start_service() {
  local name=$1
  shift
  if [ -z "${SERVICE_HTTP[$name]:-}" ]; then
    SERVICE_HTTP[$name]=$(free_port)
    SERVICE_MGMT[$name]=$(free_port)
  fi
  SERVICE_STARTS[$name]=$(( ${SERVICE_STARTS[$name]:-0} + 1 ))
  local out="$WORK/service-$name-${SERVICE_STARTS[$name]}.log"
  log "starting instance $name (start ${SERVICE_STARTS[$name]}) on port ${SERVICE_HTTP[$name]}, management port ${SERVICE_MGMT[$name]}; log in $out"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  env DB_HOST="$DB_HOST" DB_PORT="$DB_PORT" DB_USER="$DB_USER" DB_PASSWORD="${DB_PASSWORD:-}" DB_NAME="$DB_NAME" \
    MANAGEMENT_PORT="${SERVICE_MGMT[$name]}" MANAGEMENT_HOST=127.0.0.1 DEMO_SEED=true ACCESS_LOG=false \
    JWT_GENERATE_KEYS=true JWT_PRIVATE_KEY_LOCATION="$WORK/keys/jwt-private.pem" JWT_PUBLIC_KEY_LOCATION="$WORK/keys/jwt-public.pem" \
    ACCESS_TOKEN_TTL=PT2H BCRYPT_COST=4 LOGIN_ATTEMPTS_PER_ADDRESS=1000000 PAYMENT_WEBHOOK_SECRET=crash-test-secret \
    KYC_MASTER_KEY="$SERVICE_KYC_KEY" KYC_STORAGE_DIR="$WORK/kyc-vault" "$@" \
    java ${JAVA_OPTS:-} -Dquarkus.profile=crash -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="${SERVICE_HTTP[$name]}" \
    -jar target/quarkus-app/quarkus-run.jar >"$out" 2>&1 &
  SERVICE_PID[$name]=$!
  for _ in $(seq 1 180); do
    kill -0 "${SERVICE_PID[$name]}" 2>/dev/null || { tail -n 30 "$out" >&2; die "instance $name exited while starting (see $out)"; }
    if curl -fsS -o /dev/null "http://127.0.0.1:${SERVICE_MGMT[$name]}/q/health/ready" 2>/dev/null; then
      log "instance $name ready (pid ${SERVICE_PID[$name]})"
      return 0
    fi
    sleep 1
  done
  die "instance $name was not ready after 180 s (see $out)"
}

# The API base URL of the named instance.
service_base() { echo "http://127.0.0.1:${SERVICE_HTTP[$1]}/api/v1"; }

# kill -9: the crash under test.
kill_service() {
  local pid=${SERVICE_PID[$1]:-}
  [ -n "$pid" ] || return 0
  log "kill -9 instance $1 (pid $pid)"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  SERVICE_PID[$1]=
}

# A graceful stop, and kill -9 after 10 s.
stop_service() {
  local pid=${SERVICE_PID[$1]:-}
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    log "stopping instance $1 (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  SERVICE_PID[$1]=
}

stop_services() {
  local name
  for name in "${!SERVICE_PID[@]}"; do stop_service "$name"; done
}

# An admin's access token from the named instance.
admin_token() {
  curl -fsS -H 'Content-Type: application/json' -d "{\"username\":\"$ADMIN_USER\",\"password\":\"$ADMIN_PASSWORD\"}" \
    "$(service_base "$1")/auth/token" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/'
}

# check DESCRIPTION SQL: the query counts violations; anything but 0 is reported and counted in CHECKS_FAILED.
check() {
  local found
  found=$(psql_db -c "$2")
  if [ "$found" = 0 ]; then
    CHECKS_PASSED=$((CHECKS_PASSED + 1))
  else
    log "VIOLATION: $1: $found"
    CHECKS_FAILED=$((CHECKS_FAILED + 1))
  fi
}
