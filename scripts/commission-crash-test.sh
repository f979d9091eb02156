#!/usr/bin/env bash
# Crash test of the real-time commission engine: kills the service with SIGKILL while its workers are paying a backlog
# of order.paid events, restarts it, and checks that every event was handled once, every commission line was credited
# exactly once, and every ledger invariant holds.
#   scripts/commission-crash-test.sh
# 1. makes sure PostgreSQL answers, empties its own database (CRASH_DB_NAME, default downline_crash_live), packages
#    the service once (as scripts/run.sh does) and starts it on free ports with the demo seed (admin, a six-member
#    network);
# 2. uploads a plan (sponsor bonus, three levels with compression) in force since the start of the year, and gives
#    every member 100 PV in the current period so that they qualify;
# 3. writes CRASH_EVENTS order.paid events of demo members to the commerce outbox in one transaction (a backlog:
#    the test is about the consumer, so the orders themselves are not created) and kills the service with kill -9
#    once the workers have handled some of them but not all;
# 4. restarts it, waits until the outbox consumer has caught up, and runs the checks below; exits non-zero on any.
# Logs go to target/commission-crash-test/. It always stops the service it started.
set -euo pipefail
cd "$(dirname "$0")/.."

DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-5432}
DB_USER=${DB_USER:-postgres}
export PGPASSWORD=${DB_PASSWORD:-}
CRASH_DB_NAME=${CRASH_DB_NAME:-downline_crash_live}
CRASH_EVENTS=${CRASH_EVENTS:-20000}
CRASH_SKIP_BUILD=${CRASH_SKIP_BUILD:-false}
WORK=target/commission-crash-test
ADMIN_USER='admin'
ADMIN_PASSWORD='admin-demo-pass'

service_pid=
starts=0

log() { echo "commission-crash-test: $*" >&2; }
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
trap stop_service EXIT

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

start_service() {
  starts=$((starts + 1))
  local out="$WORK/service-$starts.log"
  log "starting the service (start $starts) on port $HTTP_PORT; log in $out"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  env DB_HOST="$DB_HOST" DB_PORT="$DB_PORT" DB_USER="$DB_USER" DB_PASSWORD="${DB_PASSWORD:-}" DB_NAME="$CRASH_DB_NAME" \
    MANAGEMENT_PORT="$MANAGEMENT_PORT" MANAGEMENT_HOST=127.0.0.1 DEMO_SEED=true ACCESS_LOG=false \
    JWT_GENERATE_KEYS=true JWT_PRIVATE_KEY_LOCATION="$WORK/keys/jwt-private.pem" JWT_PUBLIC_KEY_LOCATION="$WORK/keys/jwt-public.pem" \
    BCRYPT_COST=4 PAYMENT_WEBHOOK_SECRET=crash-test-secret \
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

# --- 1. database, build, service --------------------------------------------------------------------------------
scripts/ensure-db.sh "$CRASH_DB_NAME"
psql_db -c 'set client_min_messages = warning; drop schema if exists crash cascade; drop schema if exists commission cascade;
            drop schema public cascade; create schema public;'
rm -rf "$WORK"
mkdir -p "$WORK/keys"
if [ "$CRASH_SKIP_BUILD" != true ]; then
  log "packaging the service"
  mvn -B -q package -Dmaven.test.skip=true -Dcodegen.skip=true
fi
[ -f target/quarkus-app/quarkus-run.jar ] || die "target/quarkus-app/quarkus-run.jar is missing (build first)"
HTTP_PORT=$(free_port)
MANAGEMENT_PORT=$(free_port "$HTTP_PORT")
BASE=http://127.0.0.1:$HTTP_PORT/api/v1
start_service

# --- 2. plan and qualification -----------------------------------------------------------------------------------
token=$(curl -fsS -H 'Content-Type: application/json' -d "{\"username\":\"$ADMIN_USER\",\"password\":\"$ADMIN_PASSWORD\"}" \
  "$BASE/auth/token" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
curl -fsS -o "$WORK/plan.json" -H "Authorization: Bearer $token" -H 'Content-Type: application/yaml' -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" \
  --data-binary $'currency: INR\nperiodKind: MONTHLY\nqualification: { minPersonalPv: 10, requireActive: true, requireKyc: false }\nsponsorBonus: { ratePercent: 10, basis: BV }\nlevels: { ratePercents: [5, 3, 2], basis: BV, compression: DYNAMIC }\n' \
  "$BASE/commission/plans?effectiveFrom=$(date -u +%Y)-01-01T00:00:00Z" || die "the plan upload failed"
period=$(date -u +%Y-%m)
psql_db -c "insert into genealogy.personal_volume (period, distributor_id, pv, bv) select '$period', id, 100, 100 from genealogy.distributor
            on conflict (period, distributor_id) do update set pv = 100, bv = 100"
members=$(psql_db -c "select count(*) from genealogy.distributor")
log "plan uploaded; $members members qualify in $period"

# --- 3. a backlog of paid orders, and the kill in the middle of it -----------------------------------------------------
psql_db <<SQL
insert into commerce.outbox_event (id, type, payload)
select gen_random_uuid(), 'order.paid', jsonb_build_object(
         'orderId', gen_random_uuid(), 'distributorId', d.id, 'memberCode', d.member_code, 'period', '$period',
         'pv', '10.00', 'bv', (100 + i % 900)::text || '.' || lpad((i % 100)::text, 2, '0'), 'currency', 'INR',
         'invoiceNumber', 'CRASH/' || i, 'paidAt', now()::text)
  from generate_series(1, $CRASH_EVENTS) i
  join lateral (select id, member_code from genealogy.distributor where sponsor_id is not null order by id offset (i % greatest($members - 1, 1)) limit 1) d on true;
select pg_notify('commerce_outbox', 'order.paid');
SQL
log "$CRASH_EVENTS order.paid events written; waiting until the workers are part way through"
for _ in $(seq 1 600); do
  handled=$(psql_db -c "select count(*) from commission.processed_event")
  [ "$handled" -gt 0 ] && break
  sleep 0.1
done
[ "$handled" -gt 0 ] || die "the workers handled nothing within 60 s"
sleep "0.$((RANDOM % 10))"
handled=$(psql_db -c "select count(*) from commission.processed_event")
[ "$handled" -lt "$CRASH_EVENTS" ] || die "the workers finished before the kill; raise CRASH_EVENTS"
log "kill -9 $service_pid with $handled of $CRASH_EVENTS events handled"
kill -9 "$service_pid"
wait "$service_pid" 2>/dev/null || true
service_pid=

# --- 4. restart, catch up, check -------------------------------------------------------------------------------------
start_service
for _ in $(seq 1 3600); do
  # against the cursor itself: outbox_next shows nothing while a batch (an older transaction) is still running
  left=$(psql_db -c "select count(*) from commerce.outbox_event e, outbox_consumer c
                      where c.consumer = 'commission' and (e.txid, e.position) > (c.last_txid, c.last_position)")
  [ "$left" = 0 ] && break
  sleep 0.5
done
[ "$left" = 0 ] || die "the consumer did not catch up within 30 minutes"

failures=0
passed=0
check() {
  local found
  found=$(psql_db -c "$2")
  if [ "$found" = 0 ]; then passed=$((passed + 1)); else log "VIOLATION: $1: $found"; failures=$((failures + 1)); fi
}
check "an event was handled other than once" "
  select count(*) from commerce.outbox_event e where e.type = 'order.paid'
     and (select count(*) from commission.processed_event p where p.event_id = e.id) <> 1"
check "an order has two lines of one rule and level" "
  select count(*) from (select source_order, rule, level from commission.line group by 1, 2, 3 having count(*) > 1) x"
check "an order with a qualified sponsor has no level-1 commission" "
  select count(*) from commission.processed_event p where p.type = 'order.paid'
     and not exists (select from commission.line l where l.source_order = p.source_order and l.rule = 'LEVEL' and l.level = 1)"
check "a line has no ledger credit of the same reference and amount" "
  select count(*) from commission.line l where l.rule <> 'CLAWBACK'
     and not exists (select from tds.commission_credit c where c.source_reference = l.reference and c.gross = l.amount)"
check "a ledger credit has no commission line" "
  select count(*) from tds.commission_credit c where c.source_reference like 'order:%'
     and not exists (select from commission.line l where l.reference = c.source_reference)"
check "a member's credited gross differs from the sum of their lines" "
  select count(*) from (select member_id, sum(amount) as lines from commission.line group by member_id) l
   where l.lines <> (select coalesce(sum(c.gross), 0) from tds.commission_credit c
                      where c.distributor_id = l.member_id and c.source_reference like 'order:%')"
check "balances do not sum to zero per currency" "
  select count(*) from (select currency from ledger.ledger_account group by currency having sum(balance) <> 0) x"
check "a balance differs from the sum of its entries" "
  select count(*) from ledger.ledger_account a
   where a.balance <> coalesce((select sum(e.amount) from ledger.ledger_entry e where e.account_id = a.id), 0)"
check "ledger.ledger_verify() reports mismatches" "select count(*) from ledger.ledger_verify()"

lines=$(psql_db -c "select count(*) from commission.line")
credited=$(psql_db -c "select coalesce(sum(amount), 0) / 100.0 from commission.line")
echo "commission-crash-test summary:"
echo "  events: $CRASH_EVENTS, handled before the kill: $handled"
echo "  commission lines: $lines, credited INR $credited"
echo "  checks: $passed passed, $failures failed"
[ "$failures" -eq 0 ] || die "$failures check(s) failed"
echo "commission-crash-test: PASSED"
