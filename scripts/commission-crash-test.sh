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
# 4. restarts it, waits until the consumer has caught up, and runs the checks (scripts/lib/commission.sh); exits non-zero
#    on any.
# Logs go to target/commission-crash-test/. It always stops the service it started.
set -euo pipefail
cd "$(dirname "$0")/.."

CRASH_EVENTS=${CRASH_EVENTS:-20000}
SCRIPT_NAME=commission-crash-test
DB_NAME=${CRASH_DB_NAME:-downline_crash_live}
WORK=target/commission-crash-test
SKIP_BUILD=${CRASH_SKIP_BUILD:-false}
# shellcheck source=lib/service.sh
. scripts/lib/service.sh
# shellcheck source=lib/commission.sh
. scripts/lib/commission.sh
trap stop_services EXIT

# --- 1. database, build, service --------------------------------------------------------------------------------
reset_database
package_service
start_service main
BASE=$(service_base main)

# --- 2. plan and qualification -----------------------------------------------------------------------------------
commission_plan_and_qualify main

# --- 3. a backlog of paid orders, and the kill in the middle of it -----------------------------------------------------
commission_backlog "$CRASH_EVENTS"
log "waiting until the workers are part way through"
for _ in $(seq 1 600); do
  handled=$(commission_handled)
  [ "$handled" -gt 0 ] && break
  sleep 0.1
done
[ "$handled" -gt 0 ] || die "the workers handled nothing within 60 s"
sleep "0.$((RANDOM % 10))"
handled=$(commission_handled)
[ "$handled" -lt "$CRASH_EVENTS" ] || die "the workers finished before the kill; raise CRASH_EVENTS"
log "kill -9 with $handled of $CRASH_EVENTS events handled"
kill_service main

# --- 4. restart, catch up, check -------------------------------------------------------------------------------------
start_service main
commission_await_caught_up 1800
commission_checks

echo "commission-crash-test summary:"
echo "  events: $CRASH_EVENTS, handled before the kill: $handled"
commission_summary
echo "  checks: $CHECKS_PASSED passed, $CHECKS_FAILED failed"
[ "$CHECKS_FAILED" -eq 0 ] || die "$CHECKS_FAILED check(s) failed"
echo "commission-crash-test: PASSED"
