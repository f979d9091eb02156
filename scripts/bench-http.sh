#!/usr/bin/env bash
# The write paths through HTTP against their SQL baselines, in one run (docs/benchmarks.md, "Write paths"):
#   scripts/bench-http.sh
# 1. empties its own database (BENCH_DB_NAME, default downline_http_bench), packages the service and starts it with
#    java -jar (demo seed; commission workers off, so that only the request paths are measured);
# 2. seeds through the API (scripts/CommissionLoad.java): members with logins, a product, a stocked warehouse and
#    2 x BENCH_ORDERS checked-out orders; funds every member's wallet;
# 3. for each path runs wrk (a separate process; Debian's package) at its peak with BENCH_CLIENTS connections, then
#    paced at 70% of that peak, and the SQL baseline with pgbench and the same client count:
#      transfers      POST /wallet/transfers          vs pgbench tpcb-like (its own database, scale BENCH_CLIENTS)
#      registrations  POST /registrations             vs bare placement (scripts/bench-http/bare-placement.sql)
#      payments       POST /orders/{id}/payment       vs the raw paid order (scripts/bench-http/paid-order.sql)
# 4. reports throughput, p50/p99, the ratios, requests per group commit and ledger_verify() to
#    target/bench-http/report.md. GROUP_COMMIT=false runs the service without group commit, for comparison, and
#    GROUP_COMMIT_KINDS=registration,payment,transfer groups transfers too;
#    BENCH_PATHS (default "transfers registrations payments") picks the paths; BENCH_WARMUP (default 10) is the
#    seconds of the warm-up run of transfers and of registrations before any measurement.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_SECONDS=${BENCH_SECONDS:-15}
BENCH_WARMUP=${BENCH_WARMUP:-10}
BENCH_CLIENTS=${BENCH_CLIENTS:-16}
BENCH_ORDERS=${BENCH_ORDERS:-8000}
BENCH_RECRUITS=${BENCH_RECRUITS:-60000}
GROUP_COMMIT=${GROUP_COMMIT:-true}
BENCH_PATHS=${BENCH_PATHS:-transfers registrations payments}
SCRIPT_NAME=bench-http
DB_NAME=${BENCH_DB_NAME:-downline_http_bench}
PGBENCH_DB=${DB_NAME}_pgbench
WORK=target/bench-http
LUA=scripts/bench-http
# shellcheck source=lib/service.sh
. scripts/lib/service.sh
trap stop_services EXIT

if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk (Debian package)"
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -q wrk >/dev/null; else sudo -n apt-get install -y -q wrk >/dev/null; fi
fi
command -v pgbench >/dev/null 2>&1 || die "pgbench is missing (Debian package postgresql-client)"

reset_database
scripts/ensure-db.sh "$PGBENCH_DB"
package_service
start_service main MAIL_SEND_EVERY=off COMMISSION_WORKER=false GROUP_COMMIT="$GROUP_COMMIT" \
  GROUP_COMMIT_KINDS="${GROUP_COMMIT_KINDS:-registration,payment}" DB_POOL_SIZE=20
BASE=$(service_base main)
HOST=http://127.0.0.1:${SERVICE_HTTP[main]}
METRICS=http://127.0.0.1:${SERVICE_MGMT[main]}/q/metrics
root=$(psql_db -c "select d.member_code from genealogy.tree_node t join genealogy.distributor d on d.id = t.node_id where t.tree = 1 and t.parent_id is null")
[ -n "$root" ] || die "the demo seed made no root member"

log "seeding members, logins and $((2 * BENCH_ORDERS)) checked-out orders"
java scripts/CommissionLoad.java register "$BASE" "$ADMIN_USER" "$ADMIN_PASSWORD" "$root" 10 20 "$WORK"
psql_db -c "\copy (select params ->> 'username', secret from notification.message where kind = 'ACTIVATION_CODE' and status = 'PENDING') to '$WORK/codes.tsv'"
java scripts/CommissionLoad.java setup "$BASE" "$ADMIN_USER" "$ADMIN_PASSWORD" $((2 * BENCH_ORDERS)) "$BENCH_CLIENTS" "$WORK"
ADMIN=$(admin_token main)
curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"transfersEnabled":true,"transferFee":{"amount":"0.00","currency":"INR"},"minimumWithdrawal":{"amount":"100.00","currency":"INR"},"withdrawalFee":{"amount":"0.00","currency":"INR"},"dailyWithdrawalLimit":{"amount":"100000.00","currency":"INR"}}' \
  "$BASE/ledger/settings"
while IFS=$'\t' read -r code _; do
  curl -fsS -o /dev/null -H "Authorization: Bearer $ADMIN" -H "Idempotency-Key: fund-$code" -H 'Content-Type: application/json' \
    -d "{\"memberCode\":\"$code\",\"direction\":\"CREDIT\",\"amount\":{\"amount\":\"1000.00\",\"currency\":\"INR\"},\"reason\":\"bench funding\"}" \
    "$BASE/ledger/adjustments"
done <"$WORK/tokens.tsv"
head -n "$BENCH_ORDERS" "$WORK/orders.tsv" >"$WORK/api-orders.tsv"
# the last order is paid now, so that the raw baseline has an invoice document to copy
IFS=$'\t' read -r sample_order sample_total < <(tail -n 1 "$WORK/orders.tsv")
curl -fsS -o /dev/null -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d "{\"reference\":\"sample-$sample_order\",\"amount\":{\"amount\":\"$sample_total\",\"currency\":\"INR\"}}" "$BASE/orders/$sample_order/payment"
tail -n +"$((BENCH_ORDERS + 1))" "$WORK/orders.tsv" | head -n -1 | awk -F'\t' '{print NR "\t" $1}' >"$WORK/raw-orders.tsv"
psql_db -v recruits="$BENCH_RECRUITS" -f scripts/bench-http/baselines.sql >/dev/null
psql_db -c "\copy bench.raw_order from '$WORK/raw-orders.tsv'"
psql_db -c "vacuum analyze"
SPONSORS=$(psql_db -c "select count(*) from bench.sponsor")
pgbench -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -i -q -s "$BENCH_CLIENTS" "$PGBENCH_DB" >"$WORK/pgbench-init.log" 2>&1

# field NAME LINE: the value of NAME=value in a RESULT line
field() { sed -E "s/.*[ ^]$1=([^ ]+).*/\1/" <<<" $2"; }

# wrk_run LUA RATE_PER_THREAD FILE [ARGS...]: one measured run (the script's arguments: FILE RATE ARGS...);
# prints its RESULT line
wrk_run() {
  local lua=$1 rate=$2 file=$3
  shift 3
  wrk -t2 -c"$BENCH_CLIENTS" -d"${BENCH_SECONDS}s" --timeout 10s -s "$LUA/$lua" "$HOST" -- "$file" "$rate" "$@" 2>&1 \
    | tee -a "$WORK/wrk.log" | grep '^RESULT'
}

# pgbench_run ARGS...: transactions per second and average latency of a pgbench run (excluding connection time)
pgbench_run() {
  pgbench -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -n -c "$BENCH_CLIENTS" -j 2 -r -P 5 "$@" >"$WORK/pgbench-last.log" 2>&1 \
    || { cat "$WORK/pgbench-last.log" >&2; die "pgbench failed"; }
  cat "$WORK/pgbench-last.log" >>"$WORK/pgbench.log"
  # the next run starts from a fresh checkpoint, not in the full-page writes that follow one pgbench's WAL triggered
  psql_db -c checkpoint
  local tps latency
  tps=$(sed -nE 's/^tps = ([0-9.]+) .*/\1/p' "$WORK/pgbench-last.log")
  latency=$(sed -nE 's/^latency average = ([0-9.]+) ms/\1/p' "$WORK/pgbench-last.log")
  echo "rate=$tps avg_ms=$latency"
}

# group_batches KIND: the metric downline_group_commit_items of that kind, as "count sum"
group_batches() { curl -fsS "$METRICS" | awk -v kind="$1" '$0 ~ "^downline_group_commit_items_(count|sum)\\{.*kind=\"" kind "\"" {print $2}' | paste -sd' '; }

# per_commit BEFORE AFTER: requests per batch between two readings of "count sum" (n/a when the kind is not grouped)
per_commit() {
  read -r c0 s0 <<<"${1:-0 0}"
  read -r c1 s1 <<<"${2:-0 0}"
  awk -v c="$(awk -v a="$c1" -v b="$c0" 'BEGIN{print a-b}')" -v s="$(awk -v a="$s1" -v b="$s0" 'BEGIN{print a-b}')" \
    'BEGIN{ if (c > 0) printf "%.1f", s / c; else printf "n/a" }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
# the rate per wrk thread (two threads) that makes 70% of a peak rate
paced_rate() { awk -v r="$1" 'BEGIN{ printf "%.2f", 0.7 * r / 2 }'; }

REPORT=$WORK/report.md
{
  echo "# Write paths via HTTP vs SQL baselines"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg); group commit: $GROUP_COMMIT (${GROUP_COMMIT_KINDS:-registration,payment});"
  echo "$BENCH_CLIENTS connections / clients, ${BENCH_SECONDS} s per run; wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2); $(pgbench --version)"
  echo
  echo "| path | HTTP peak /s | p50 / p99 ms at peak | HTTP at 70% of peak: /s, p99 ms | baseline /s | HTTP / baseline | requests per commit | errors |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
} >"$REPORT"

log "warm-up: transfers and registrations, $BENCH_WARMUP s each"
BENCH_SECONDS=$BENCH_WARMUP wrk_run transfer.lua 0 "$WORK/tokens.tsv" >/dev/null
BENCH_SECONDS=$BENCH_WARMUP wrk_run register.lua 0 "$WORK/tokens.tsv" "Bearer $ADMIN" >/dev/null

if [[ " $BENCH_PATHS " == *" transfers "* ]]; then
log "transfers"
tpcb=$(pgbench_run -T "$BENCH_SECONDS" -b tpcb-like "$PGBENCH_DB")
before=$(group_batches transfer)
peak=$(wrk_run transfer.lua 0 "$WORK/tokens.tsv")
after=$(group_batches transfer)
paced=$(wrk_run transfer.lua "$(paced_rate "$(field rate "$peak")")" "$WORK/tokens.tsv")
echo "| transfers | $(field rate "$peak") | $(field p50_ms "$peak") / $(field p99_ms "$peak") | $(field rate "$paced"), $(field p99_ms "$paced") | tpcb-like $(field rate "$tpcb") | $(ratio "$(field rate "$peak")" "$(field rate "$tpcb")") | $(per_commit "$before" "$after") | $(field refused "$peak")+$(field failed "$peak") / $(field refused "$paced")+$(field failed "$paced") |" >>"$REPORT"

fi

if [[ " $BENCH_PATHS " == *" registrations "* ]]; then
log "registrations"
bare=$(pgbench_run -T "$BENCH_SECONDS" -f scripts/bench-http/bare-placement.sql -D sponsors="$SPONSORS" "$DB_NAME")
before=$(group_batches registration)
peak=$(wrk_run register.lua 0 "$WORK/tokens.tsv" "Bearer $ADMIN")
after=$(group_batches registration)
paced=$(wrk_run register.lua "$(paced_rate "$(field rate "$peak")")" "$WORK/tokens.tsv" "Bearer $ADMIN")
echo "| registrations | $(field rate "$peak") | $(field p50_ms "$peak") / $(field p99_ms "$peak") | $(field rate "$paced"), $(field p99_ms "$paced") | bare placement $(field rate "$bare") | $(ratio "$(field rate "$peak")" "$(field rate "$bare")") | $(per_commit "$before" "$after") | $(field refused "$peak")+$(field failed "$peak") / $(field refused "$paced")+$(field failed "$paced") |" >>"$REPORT"

fi

if [[ " $BENCH_PATHS " == *" payments "* ]]; then
log "payments"
raw=$(pgbench_run -t $(((BENCH_ORDERS - 1) / BENCH_CLIENTS)) -f scripts/bench-http/paid-order.sql "$DB_NAME")
before=$(group_batches payment)
peak=$(wrk_run pay.lua 0 "$WORK/api-orders.tsv" "Bearer $ADMIN" 2)
after=$(group_batches payment)
echo "| payments | $(field rate "$peak") | $(field p50_ms "$peak") / $(field p99_ms "$peak") | - | raw paid order $(field rate "$raw") | $(ratio "$(field rate "$peak")" "$(field rate "$raw")") | $(per_commit "$before" "$after") | $(field refused "$peak")+$(field failed "$peak") |" >>"$REPORT"
fi

{
  echo
  echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg). Errors: refused (4xx) + failed (5xx); a payment run that ran out of orders shows refusals."
  echo "ledger_verify() mismatches: $(psql_db -c 'select count(*) from ledger.ledger_verify()'); unpaid API orders left: $(psql_db -c "select count(*) from commerce.customer_order where status = 'PENDING'")"
} >>"$REPORT"
cat "$REPORT"
[ "$(psql_db -c 'select count(*) from ledger.ledger_verify()')" = 0 ] || die "ledger_verify() reports mismatches"
log "done; wrk and pgbench output in $WORK"
