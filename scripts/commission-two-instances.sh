#!/usr/bin/env bash
# Two packaged service instances on one database, both running the commission workers, pay one backlog together.
#   scripts/commission-two-instances.sh
# 1. empties its own database (TWO_DB_NAME, default downline_two_live), packages the service once and starts instance
#    "one" with the demo seed, then instance "two" on other ports (no seed; same database, same keys);
# 2. uploads a plan and gives every member 100 PV in the current period (scripts/lib/commission.sh);
# 3. writes TWO_EVENTS order.paid events to the commerce outbox and wakes both instances' workers. One worker holds the
#    consumer at a time and the other skips (SKIP LOCKED), so while one drains a backlog the other mostly waits: once a
#    quarter of the backlog is paid, instance one is killed (kill -9) and instance two must take over the rest;
# 4. waits until the consumer has caught up and checks: every event handled once, every line credited once with its
#    amount, ledger.ledger_verify() clean, no dead letter, and both instances paid batches (from their logs).
# Logs go to target/commission-two-instances/. It always stops the instances it started.
set -euo pipefail
cd "$(dirname "$0")/.."

TWO_EVENTS=${TWO_EVENTS:-20000}
SCRIPT_NAME=commission-two-instances
DB_NAME=${TWO_DB_NAME:-downline_two_live}
WORK=target/commission-two-instances
# shellcheck source=lib/service.sh
. scripts/lib/service.sh
# shellcheck source=lib/commission.sh
. scripts/lib/commission.sh
trap stop_services EXIT

# every batch an instance pays is logged (at DEBUG), so that the run can show both took part
JAVA_OPTS="${JAVA_OPTS:-} -Dquarkus.log.category.\"io.downline.commission.app.EventProcessor\".level=DEBUG"

reset_database
package_service
start_service one
start_service two DEMO_SEED=false
commission_plan_and_qualify one

started=$(date +%s.%N)
commission_backlog "$TWO_EVENTS"
for _ in $(seq 1 1200); do
  handled=$(commission_handled)
  [ "$handled" -ge $((TWO_EVENTS / 4)) ] && break
  sleep 0.1
done
[ "$handled" -lt "$TWO_EVENTS" ] || die "the backlog was paid before the kill; raise TWO_EVENTS"
log "$handled of $TWO_EVENTS events paid; killing instance one"
kill_service one
commission_await_caught_up 1800
seconds=$(echo "$(date +%s.%N) - $started" | bc)
commission_checks

batches_one=$(cat "$WORK"/service-one-*.log | grep -c 'paid [0-9]* commission lines' || true)
batches_two=$(cat "$WORK"/service-two-*.log | grep -c 'paid [0-9]* commission lines' || true)
if [ "$batches_one" -gt 0 ] && [ "$batches_two" -gt 0 ]; then
  CHECKS_PASSED=$((CHECKS_PASSED + 1))
else
  log "VIOLATION: not both instances paid batches (one: $batches_one, two: $batches_two)"
  CHECKS_FAILED=$((CHECKS_FAILED + 1))
fi

echo "commission-two-instances summary:"
echo "  events: $TWO_EVENTS, paid in $(printf %.1f "$seconds") s by two instances ($handled before instance one was killed)"
echo "  batches paid: instance one $batches_one, instance two $batches_two"
commission_summary
echo "  checks: $CHECKS_PASSED passed, $CHECKS_FAILED failed"
[ "$CHECKS_FAILED" -eq 0 ] || die "$CHECKS_FAILED check(s) failed"
echo "commission-two-instances: PASSED"
