# Commission steps shared by the scripts that test the real-time engine on packaged instances (crash test, two
# instances): sourced after lib/service.sh, not run.

# commission_plan_and_qualify INSTANCE: uploads a plan (10% sponsor bonus, levels 5/3/2 with compression, qualified =
# active with 10 PV) in force since the start of the year, and gives every member 100 PV in the current period so that
# they all qualify. Sets COMMISSION_PERIOD and COMMISSION_MEMBERS.
commission_plan_and_qualify() {
  local token
  token=$(admin_token "$1")
  curl -fsS -o "$WORK/plan.json" -H "Authorization: Bearer $token" -H 'Content-Type: application/yaml' \
    -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" \
    --data-binary $'currency: INR\nperiodKind: MONTHLY\nqualification: { minPersonalPv: 10, requireActive: true, requireKyc: false }\nsponsorBonus: { ratePercent: 10, basis: BV }\nlevels: { ratePercents: [5, 3, 2], basis: BV, compression: DYNAMIC }\n' \
    "$(service_base "$1")/commission/plans?effectiveFrom=$(date -u +%Y)-01-01T00:00:00Z" || die "the plan upload failed"
  COMMISSION_PERIOD=$(date -u +%Y-%m)
  psql_db -c "insert into genealogy.personal_volume (period, distributor_id, pv, bv) select '$COMMISSION_PERIOD', id, 100, 100 from genealogy.distributor
              on conflict (period, distributor_id) do update set pv = 100, bv = 100"
  COMMISSION_MEMBERS=$(psql_db -c "select count(*) from genealogy.distributor")
  log "plan uploaded; $COMMISSION_MEMBERS members qualify in $COMMISSION_PERIOD"
}

# commission_backlog N: writes N order.paid events of members with a sponsor to the commerce outbox in one transaction
# and wakes the workers (a backlog: the tests are about the consumer, so the orders themselves are not created).
commission_backlog() {
  psql_db <<SQL
insert into commerce.outbox_event (id, type, payload)
select gen_random_uuid(), 'order.paid', jsonb_build_object(
         'orderId', gen_random_uuid(), 'distributorId', d.id, 'memberCode', d.member_code, 'period', '$COMMISSION_PERIOD',
         'pv', '10.00', 'bv', (100 + i % 900)::text || '.' || lpad((i % 100)::text, 2, '0'), 'currency', 'INR',
         'invoiceNumber', 'BACKLOG/' || i, 'paidAt', now()::text)
  from generate_series(1, $1) i
  join lateral (select id, member_code from genealogy.distributor where sponsor_id is not null
                 order by id offset (i % greatest($COMMISSION_MEMBERS - 1, 1)) limit 1) d on true;
select pg_notify('commerce_outbox', 'order.paid');
SQL
  log "$1 order.paid events written"
}

# How many order.paid events the engine has handled.
commission_handled() { psql_db -c "select count(*) from commission.processed_event where type = 'order.paid'"; }

# commission_await_caught_up SECONDS: waits until the commission consumer has acknowledged every event of both outboxes
# (read against the cursors themselves: the outboxes show nothing while a batch, an older transaction, still runs).
commission_await_caught_up() {
  local left
  for _ in $(seq 1 $(($1 * 2))); do
    left=$(psql_db -c "select (select count(*) from commerce.outbox_event e, commerce.outbox_consumer c
                                where c.consumer = 'commission' and (e.txid, e.position) > (c.last_txid, c.last_position))
                            + (select count(*) from genealogy.outbox_event e
                                where (e.txid, e.position) > coalesce((select (c.last_txid, c.last_position) from genealogy.outbox_consumer c
                                                                        where c.consumer = 'commission'), ('0'::xid8, 0::bigint)))")
    [ "$left" = 0 ] && return 0
    sleep 0.5
  done
  die "the consumer did not catch up within $1 s ($left events left)"
}

# The checks of a backlog paid: every event handled once, every line credited once with its amount, the ledger sound.
commission_checks() {
  check "an event was handled other than once" "
    select count(*) from commerce.outbox_event e where e.type = 'order.paid'
       and (select count(*) from commission.processed_event p where p.event_id = e.id) <> 1"
  check "an event was set aside as a dead letter" "select count(*) from commission.dead_letter"
  check "a registration was not recorded once" "
    select count(*) from genealogy.outbox_event e where e.type = 'member.registered'
       and (select count(*) from commission.enrolment n where n.source_event = e.id) <> 1"
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
}

# A summary line of what the engine wrote.
commission_summary() {
  echo "  commission lines: $(psql_db -c "select count(*) from commission.line"), credited INR $(psql_db -c "select coalesce(sum(amount), 0) / 100.0 from commission.line")"
}
