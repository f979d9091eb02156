#!/usr/bin/env bash
# Crash test of the wallet ledger: kills the service with SIGKILL in the middle of a transfer load, restarts it, and
# checks that every acknowledged transfer is there exactly once and that every ledger invariant holds.
#   scripts/crash-test.sh
# 1. makes sure PostgreSQL answers, empties its own database (CRASH_DB_NAME, default downline_crash), packages the
#    service once (as scripts/run.sh does) and starts it on free ports with the demo seed (for the admin login);
# 2. registers CRASH_MEMBERS distributors, activates their logins with the codes waiting in the notification outbox
#    (the instance sends no mail), funds them and enables transfers;
# 3. runs CRASH_WORKERS concurrent clients (scripts/CrashLoad.java) posting transfers, each with a fresh
#    Idempotency-Key, and after CRASH_LOAD_SECONDS kills the service with kill -9 while requests are in flight;
# 4. restarts it and sends every request that got no answer once more with the same key and body;
# 5. checks the database (see the checks below) and prints a summary; exits non-zero on any violation.
# Everything it writes goes to target/crash-test/ (service logs, the client's records). It always stops the service
# it started.
set -euo pipefail
cd "$(dirname "$0")/.."

CRASH_MEMBERS=${CRASH_MEMBERS:-50}
CRASH_WORKERS=${CRASH_WORKERS:-32}
CRASH_LOAD_SECONDS=${CRASH_LOAD_SECONDS:-5}
CRASH_FUND=${CRASH_FUND:-100000.00}
SCRIPT_NAME=crash-test
DB_NAME=${CRASH_DB_NAME:-downline_crash}
WORK=target/crash-test
SKIP_BUILD=${CRASH_SKIP_BUILD:-false}
STOP_FILE=$WORK/stop-load
# shellcheck source=lib/service.sh
. scripts/lib/service.sh

load_pid=

stop_all() {
  if [ -n "$load_pid" ] && kill -0 "$load_pid" 2>/dev/null; then
    kill "$load_pid" 2>/dev/null || true
    wait "$load_pid" 2>/dev/null || true
  fi
  stop_services
}
trap stop_all EXIT

# --- 1. database, build, service --------------------------------------------------------------------------------
reset_database
package_service
start_service main MAIL_SEND_EVERY=off
BASE=$(service_base main)

# --- 2. setup --------------------------------------------------------------------------------------------------
sponsor=$(psql_db -c "select d.member_code from genealogy.tree_node t join genealogy.distributor d on d.id = t.node_id
                       where t.tree = 1 and t.parent_id is null")
[ -n "$sponsor" ] || die "the demo seed made no root member"
java scripts/CrashLoad.java register "$BASE" "$ADMIN_USER" "$ADMIN_PASSWORD" "$sponsor" "$CRASH_MEMBERS" "$WORK/registered.tsv"
psql_db -c "\copy (select params ->> 'username', secret from notification.message where kind = 'ACTIVATION_CODE' and status = 'PENDING') to '$WORK/codes.tsv'"
java scripts/CrashLoad.java setup "$BASE" "$ADMIN_USER" "$ADMIN_PASSWORD" "$WORK/registered.tsv" "$WORK/codes.tsv" "$CRASH_FUND" \
  "$WORK/members.tsv"

# --- 3. load, and the kill in the middle of it -------------------------------------------------------------------
log "running $CRASH_WORKERS concurrent transfer clients for ${CRASH_LOAD_SECONDS}s, then kill -9"
java scripts/CrashLoad.java load "$BASE" "$WORK/members.tsv" "$CRASH_WORKERS" $((CRASH_LOAD_SECONDS + 120)) "$STOP_FILE" "$WORK" &
load_pid=$!
# The clock starts when transfers are being acknowledged (the client compiles itself first).
for _ in $(seq 1 120); do
  [ -s "$WORK/acked.tsv" ] && break
  kill -0 "$load_pid" 2>/dev/null || die "the load client ended before any transfer was acknowledged"
  sleep 0.5
done
[ -s "$WORK/acked.tsv" ] || die "no transfer was acknowledged within 60 s"
# A random tenth of a second on top, so that runs kill the service at different points of a request.
sleep "$CRASH_LOAD_SECONDS.$((RANDOM % 10))"
kill -0 "$load_pid" 2>/dev/null || die "the load client ended before the kill"
acked_before_kill=$(wc -l <"$WORK/acked.tsv")
log "kill -9 with $acked_before_kill transfers acknowledged so far"
kill_service main
touch "$STOP_FILE"
wait "$load_pid" || die "the load client failed"
load_pid=

# --- 4. restart and retry every request that got no answer ----------------------------------------------------------
start_service main MAIL_SEND_EVERY=off
java scripts/CrashLoad.java retry "$BASE" "$WORK/members.tsv" "$WORK"

# --- 5. checks --------------------------------------------------------------------------------------------------
psql_db <<SQL
create schema crash;
create table crash.acked (key text primary key, caller text, from_code text, to_code text, amount bigint, txn_id bigint);
create table crash.rejected (key text primary key, caller text, status int, detail text);
create table crash.retried (key text primary key, caller text, from_code text, to_code text, amount bigint, outcome text,
                            status int, txn_id text, replayed boolean);
\copy crash.acked from '$WORK/acked.tsv'
\copy crash.rejected from '$WORK/rejected.tsv'
\copy crash.retried from '$WORK/retried.tsv'
-- every key that got a 2xx, before the kill or on the retry after the restart
create view crash.ok as
    select key, caller, from_code, to_code, amount, txn_id, 'acked' as phase from crash.acked
    union all
    select key, caller, from_code, to_code, amount, txn_id::bigint, 'retried' from crash.retried where status between 200 and 299;
create view crash.wallet as
    select a.id, a.balance, a.held, d.member_code from ledger.ledger_account a join genealogy.distributor d on d.id = a.distributor_id
     where a.kind = 'WALLET' and a.currency = 'INR';
SQL

check "an acknowledged transactionId is not a TRANSFER transaction" "
  select count(*) from crash.ok o where not exists (select from ledger.ledger_txn t where t.id = o.txn_id and t.type = 'TRANSFER')"
check "an acknowledged transfer lacks its two legs (sender -amount, receiver +amount) or has others" "
  select count(*) from crash.ok o
   where (select count(*) from ledger.ledger_entry e where e.txn_id = o.txn_id) <> 2
      or not exists (select from ledger.ledger_entry e join crash.wallet w on w.id = e.account_id
                      where e.txn_id = o.txn_id and w.member_code = o.from_code and e.amount = -o.amount)
      or not exists (select from ledger.ledger_entry e join crash.wallet w on w.id = e.account_id
                      where e.txn_id = o.txn_id and w.member_code = o.to_code and e.amount = o.amount)"
check "an acknowledged key's intent (the note carries the key) was posted other than exactly once" "
  select count(*) from crash.ok o
   where (select count(*) from ledger.ledger_txn t where t.type = 'TRANSFER' and t.metadata->>'note' = 'crash ' || o.key) <> 1"
check "an acknowledged key's ledger_request does not name its transactionId" "
  select count(*) from crash.ok o
   where not exists (select from ledger.ledger_request r where r.caller = o.caller and r.idempotency_key = o.key
                                                   and r.operation = 'transfer' and r.result_id = o.txn_id)"
check "a key got two different transactionIds (before the kill and on the retry)" "
  select count(*) from (select key from crash.ok group by key having count(distinct txn_id) > 1) x"
check "two keys were answered with the same transactionId" "
  select count(*) from (select txn_id from crash.ok group by txn_id having count(distinct key) > 1) x"
check "a ledger_request names a transaction that another request names too" "
  select count(*) from (select result_id from ledger.ledger_request group by result_id having count(*) > 1) x"
check "a TRANSFER transaction is not the result of exactly one request" "
  select count(*) from ledger.ledger_txn t where t.type = 'TRANSFER'
     and (select count(*) from ledger.ledger_request r where r.result_id = t.id and r.operation = 'transfer') <> 1"
check "TRANSFER transactions minus the distinct keys that got a 2xx" "
  select (select count(*) from ledger.ledger_txn where type = 'TRANSFER') - (select count(distinct key) from crash.ok)"
check "a transfer refused with a 4xx (before the kill or on the retry) left a ledger_request" "
  select count(*) from (select key, caller from crash.rejected
                        union all select key, caller from crash.retried where status between 400 and 499) x
    join ledger.ledger_request r on r.caller = x.caller and r.idempotency_key = x.key"
check "a retry was neither a 2xx nor a definite 4xx refusal" "
  select count(*) from crash.retried where status not between 200 and 499"
check "a wallet's balance differs from its funding plus the acknowledged transfers in and out" "
  select count(*) from crash.wallet w
   where w.member_code in (select from_code from crash.ok union select to_code from crash.ok)
     and w.balance <> (select coalesce(sum(e.amount), 0) from ledger.ledger_entry e join ledger.ledger_txn t on t.id = e.txn_id
                        where e.account_id = w.id and t.type = 'ADJUSTMENT')
                     + (select coalesce(sum(amount), 0) from crash.ok where to_code = w.member_code)
                     - (select coalesce(sum(amount), 0) from crash.ok where from_code = w.member_code)"
check "balances do not sum to zero per currency" "
  select count(*) from (select currency from ledger.ledger_account group by currency having sum(balance) <> 0) x"
check "a balance differs from the sum of its entries" "
  select count(*) from ledger.ledger_account a
   where a.balance <> coalesce((select sum(e.amount) from ledger.ledger_entry e where e.account_id = a.id), 0)"
check "a wallet's available balance is negative" "
  select count(*) from ledger.ledger_account where kind = 'WALLET' and balance - held < 0"
check "held differs from the open holds" "
  select count(*) from ledger.ledger_account a
   where a.held <> coalesce((select sum(h.amount) from ledger.ledger_hold h where h.account_id = a.id and h.status = 'OPEN'), 0)"
check "ledger.ledger_verify() reports mismatches" "select count(*) from ledger.ledger_verify()"

# --- summary -----------------------------------------------------------------------------------------------------
count() { psql_db -c "$1"; }
acked=$(count "select count(*) from crash.acked")
rejected=$(count "select count(*) from crash.rejected")
in_flight=$(count "select count(*) from crash.retried where outcome = 'in-flight'")
refused=$(count "select count(*) from crash.retried where outcome = 'refused'")
http5xx=$(count "select count(*) from crash.retried where outcome like 'http-%'")
replayed=$(count "select count(*) from crash.retried where status between 200 and 299 and replayed")
posted_now=$(count "select count(*) from crash.retried where status between 200 and 299 and not replayed")
refused_now=$(count "select count(*) from crash.retried where status between 400 and 499")
transfers=$(count "select count(*) from ledger.ledger_txn where type = 'TRANSFER'")
echo "crash-test summary:"
echo "  transfers acknowledged before the kill: $acked ($rejected refused with a 4xx)"
echo "  without an answer at the kill:          $in_flight in flight, $refused refused connections, $http5xx 5xx"
echo "  retried after the restart:              $replayed replayed the earlier result, $posted_now posted now, $refused_now refused"
echo "  TRANSFER transactions in the ledger:    $transfers"
echo "  checks: $CHECKS_PASSED passed, $CHECKS_FAILED failed"
[ "$CHECKS_FAILED" -eq 0 ] || die "$CHECKS_FAILED check(s) failed; the client's records are in $WORK"
echo "crash-test: PASSED"
