#!/usr/bin/env bash
# Crash test of the commission period close: kills the service with SIGKILL while a close is posting its lines to the
# ledger in batches, restarts it, and checks that the close resumed by itself and finished, that every line exists once
# and was credited once with its amount, and that every ledger invariant holds.
#   scripts/commission-close-crash-test.sh
# 1. makes sure PostgreSQL answers, empties its own database (CRASH_DB_NAME, default downline_crash_close), packages the
#    service (unless CRASH_SKIP_BUILD=true) and starts it with the demo seed and small close batches
#    (CRASH_CLOSE_BATCH lines per ledger transaction, default 20), so the posting takes many transactions;
# 2. uploads a plan with binary pairing, matching, a rank and a pool, grows the network by CRASH_MEMBERS registrations
#    (default 2000, balanced binary placement) and writes last month's personal volumes as genealogy keeps them;
# 3. requests the close of last month and kills the service once some batches are posted but not all;
# 4. restarts it (an interrupted close resumes at start), waits until the period is CLOSED and runs the checks below
#    (lines, credits, the ranks pushed to genealogy once each, the ledger);
#    exits non-zero on any. Logs go to target/commission-close-crash-test/. It always stops the service it started.
# The service's steps (database, packaging, start, kill, checks) are scripts/lib/service.sh's, like the other crash tests'.
set -euo pipefail
cd "$(dirname "$0")/.."

CRASH_MEMBERS=${CRASH_MEMBERS:-2000}
export COMMISSION_CLOSE_BATCH_SIZE=${CRASH_CLOSE_BATCH:-20}
SCRIPT_NAME=commission-close-crash-test
DB_NAME=${CRASH_DB_NAME:-downline_crash_close}
WORK=target/commission-close-crash-test
SKIP_BUILD=${CRASH_SKIP_BUILD:-false}
# shellcheck source=lib/service.sh
. scripts/lib/service.sh
trap stop_services EXIT

# --- 1. database, build, service --------------------------------------------------------------------------------
reset_database
package_service
start_service main
BASE=$(service_base main)

# --- 2. plan, network, volumes ---------------------------------------------------------------------------------------
token=$(admin_token main)
curl -fsS -o "$WORK/plan.json" -H "Authorization: Bearer $token" -H 'Content-Type: application/yaml' -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" \
  --data-binary $'currency: INR\nperiodKind: MONTHLY\nqualification: { minPersonalPv: 10, requireActive: false, requireKyc: false }
binary: { basis: BV, leftUnit: 10000, rightUnit: 10000, firstPair: STANDARD, pay: PER_PAIR, perPairMinor: 1000, capExcess: FLUSH,
          requireActiveDirectEachSide: false, flushWhenUnqualified: false }
matching: { generations: [ { ratePercent: 10 } ] }
ranks: [ { code: SILVER, name: Silver, minPersonalPv: 10, minGroupVolume: 50, minQualifiedLegs: 0, minLegVolume: 0, poolShares: 1 } ]
pool: { percentOfCompanyBv: 1 }\n' \
  "$BASE/commission/plans?effectiveFrom=2000-01-01T00:00:00Z" || die "the plan upload failed"
root=$(psql_db -c "select member_code from genealogy.distributor where sponsor_id is null")
log "registering $CRASH_MEMBERS members under $root (balanced placement)"
seq 1 "$CRASH_MEMBERS" | xargs -P 4 -I{} curl -fsS -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"sponsor\":\"$root\",\"fullName\":\"Crash Member {}\",\"placement\":{\"mode\":\"BALANCED\"}}" "$BASE/registrations" \
  || die "a registration failed"
period=$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m)
psql_db -c "insert into genealogy.personal_volume (period, distributor_id, pv, bv) select '$period', id, 10 + id * 7 % 90, (10 + id * 7 % 90) * 10
              from genealogy.distributor on conflict (period, distributor_id) do update set pv = excluded.pv, bv = excluded.bv"
members=$(psql_db -c "select count(*) from genealogy.distributor")
log "$members members with volume in $period"

# --- 3. the close, and the kill in the middle of its posting ----------------------------------------------------------
curl -fsS -o "$WORK/close.json" -X POST -H "Authorization: Bearer $token" -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" \
  "$BASE/commission/periods/$period/close" || die "the close request failed"
posted=0
for _ in $(seq 1 1200); do
  posted=$(psql_db -c "select coalesce((close_state->>'posted')::int, 0) from commission.period where period = '$period'")
  [ "$posted" -gt 0 ] && break
  sleep 0.05
done
[ "$posted" -gt 0 ] || die "the close posted nothing within 60 s"
sleep "0.$((RANDOM % 3))"
state=$(psql_db -c "select status || ' ' || (close_state->>'posted') || ' ' || (close_state->>'lines') from commission.period where period = '$period'")
read -r status posted lines <<<"$state"
[ "$status" = CLOSING ] || die "the close finished before the kill ($state); raise CRASH_MEMBERS or lower CRASH_CLOSE_BATCH"
log "the close has posted $posted of $lines lines"
kill_service main

# --- 4. restart, resume, check ---------------------------------------------------------------------------------------
start_service main
for _ in $(seq 1 1200); do
  status=$(psql_db -c "select status from commission.period where period = '$period'")
  [ "$status" = CLOSED ] && break
  sleep 0.5
done
[ "$status" = CLOSED ] || die "the close did not resume and finish within 10 minutes"

check "a staged line was never credited" "
  select count(*) from commission.line where period = '$period' and status = 'PENDING'"
check "a member has two lines of one rule and source" "
  select count(*) from (select member_id, rule, source_member, level from commission.line where period = '$period'
                         group by 1, 2, 3, 4 having count(*) > 1) x"
check "a line has no ledger credit of its reference and amount" "
  select count(*) from commission.line l where l.period = '$period' and l.amount - l.withheld > 0
     and not exists (select from tds.commission_credit c where c.source_reference = l.reference and c.gross = l.amount - l.withheld)"
check "a ledger credit of the close has no line" "
  select count(*) from tds.commission_credit c where c.source_reference like 'close:%'
     and not exists (select from commission.line l where l.reference = c.source_reference)"
check "the credits differ from what the close says it paid" "
  select count(*) from commission.period p where p.period = '$period'
     and (p.close_state->>'paid')::bigint <> (select sum(gross) from tds.commission_credit where source_reference like 'close:$period:%')"
check "a member's rank in the network is not the highest rank the close evaluated" "
  select count(*) from commission.rank_history h join genealogy.distributor d on d.id = h.member_id
   where h.period = '$period' and h.highest is not null and d.rank <> h.highest"
check "the close pushed a member's rank twice" "
  select count(*) from (select payload->>'memberId' from genealogy.outbox_event
                         where type = 'member.rank_changed' and payload->>'reason' = 'close $period' group by 1 having count(*) > 1) x"
check "balances do not sum to zero per currency" "
  select count(*) from (select currency from ledger.ledger_account group by currency having sum(balance) <> 0) x"
check "a balance differs from the sum of its entries" "
  select count(*) from ledger.ledger_account a
   where a.balance <> coalesce((select sum(e.amount) from ledger.ledger_entry e where e.account_id = a.id), 0)"
check "ledger.ledger_verify() reports mismatches" "select count(*) from ledger.ledger_verify()"

summary=$(psql_db -c "select (close_state->>'lines') || ' lines in ' || (close_state->>'batches') || ' batches, INR '
                      || ((close_state->>'paid')::bigint / 100.0)::numeric(20, 2) from commission.period where period = '$period'")
echo "commission-close-crash-test summary:"
echo "  members: $members, period $period: $summary"
echo "  posted before the kill: $posted of $lines lines"
echo "  checks: $CHECKS_PASSED passed, $CHECKS_FAILED failed"
[ "$CHECKS_FAILED" -eq 0 ] || die "$CHECKS_FAILED check(s) failed"
echo "commission-close-crash-test: PASSED"
