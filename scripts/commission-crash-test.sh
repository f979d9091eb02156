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

NAME=commission-crash-test
CRASH_DB_NAME=${CRASH_DB_NAME:-downline_crash_live}
CRASH_EVENTS=${CRASH_EVENTS:-20000}
WORK=target/commission-crash-test
# shellcheck source=scripts/lib/service.sh
source scripts/lib/service.sh
trap stop_service EXIT

# --- 1. database, build, service --------------------------------------------------------------------------------
prepare_service
start_service

# --- 2. plan and qualification -----------------------------------------------------------------------------------
token=$(admin_token)
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
log "$handled of $CRASH_EVENTS events handled"
crash_service

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
