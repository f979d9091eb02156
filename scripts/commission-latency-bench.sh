#!/usr/bin/env bash
# Latency benchmark of the real-time commission engine, driven from outside: order paid -> commission visible in the
# wallet, at BENCH_RATE paid orders per second (target: 500/s sustained, p99 <= 1 s; docs/benchmarks.md).
#   scripts/commission-latency-bench.sh
# 1. empties its own database (BENCH_DB_NAME, default downline_commission_bench), packages the service and starts it
#    (demo seed, workers on);
# 2. scripts/CommissionLoad.java register and setup: BENCH_SPONSORS sponsors under the root with BENCH_BUYERS recruits
#    each, activated with the codes waiting in the notification outbox (the instance sends no mail), a product and a
#    stocked warehouse, and BENCH_RATE x BENCH_SECONDS orders checked out (not paid);
# 3. uploads the plan and qualifies every member (scripts/lib/commission.sh);
# 4. scripts/CommissionLoad.java run: one earnings stream per sponsor, the payments sent open-loop at BENCH_RATE/s;
#    latency = payment answered -> the order's first commission line on its sponsor's stream;
# 5. checks that every event was handled once and the ledger is sound. The report is target/commission-latency-bench/report.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_RATE=${BENCH_RATE:-500}
BENCH_SECONDS=${BENCH_SECONDS:-30}
BENCH_SPONSORS=${BENCH_SPONSORS:-10}
BENCH_BUYERS=${BENCH_BUYERS:-10}
BENCH_CLIENTS=${BENCH_CLIENTS:-16}
BENCH_MAX_IN_FLIGHT=${BENCH_MAX_IN_FLIGHT:-256}
SCRIPT_NAME=commission-latency-bench
DB_NAME=${BENCH_DB_NAME:-downline_commission_bench}
WORK=target/commission-latency-bench
# shellcheck source=lib/service.sh
. scripts/lib/service.sh
# shellcheck source=lib/commission.sh
. scripts/lib/commission.sh
trap stop_services EXIT

reset_database
package_service
start_service main MAIL_SEND_EVERY=off
BASE=$(service_base main)
root=$(psql_db -c "select d.member_code from genealogy.tree_node t join genealogy.distributor d on d.id = t.node_id where t.tree = 1 and t.parent_id is null")
[ -n "$root" ] || die "the demo seed made no root member"

java scripts/CommissionLoad.java register "$BASE" "$ADMIN_USER" "$ADMIN_PASSWORD" "$root" "$BENCH_SPONSORS" "$BENCH_BUYERS" "$WORK"
psql_db -c "\copy (select params ->> 'username', secret from notification.message where kind = 'ACTIVATION_CODE' and status = 'PENDING') to '$WORK/codes.tsv'"
java scripts/CommissionLoad.java setup "$BASE" "$ADMIN_USER" "$ADMIN_PASSWORD" $((BENCH_RATE * BENCH_SECONDS)) "$BENCH_CLIENTS" "$WORK"
commission_plan_and_qualify main
commission_await_caught_up 600

{
  echo "commission latency benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "rate $BENCH_RATE/s for $BENCH_SECONDS s, $BENCH_SPONSORS sponsors x $BENCH_BUYERS recruits, batch size ${COMMISSION_BATCH_SIZE:-500}"
  java scripts/CommissionLoad.java run "$BASE" "$ADMIN_USER" "$ADMIN_PASSWORD" "$WORK" "$BENCH_RATE" "$BENCH_MAX_IN_FLIGHT"
  echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$WORK/report.txt"

commission_await_caught_up 600
commission_checks
echo "  checks: $CHECKS_PASSED passed, $CHECKS_FAILED failed" | tee -a "$WORK/report.txt"
[ "$CHECKS_FAILED" -eq 0 ] || die "$CHECKS_FAILED check(s) failed"
echo "commission-latency-bench: done"
