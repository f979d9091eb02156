-- The ledger's posting, hold, idempotency and verification functions. Owned by ledger.

-- Immutability: entries, transactions, checkpoints and the audit trail are never updated or deleted.
create or replace function ledger.ledger_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only: % refused; post a reversing transaction instead', tg_table_name, tg_op
        using errcode = 'DLIMM';
end $$;

-- Monthly partitions, created ahead by the service (LedgerPartitions) and here for the current and next month.
-- Month bounds are UTC midnights whatever the session's time zone, so every caller agrees on them.
create or replace function ledger.ledger_ensure_partition(p_month date) returns void language plpgsql as $$
declare
    first_day date := date_trunc('month', p_month)::date;
    name text := 'ledger_entry_' || to_char(first_day, 'YYYY_MM');
begin
    if to_regclass('ledger.' || name) is null then
        execute format('create table ledger.%I partition of ledger.ledger_entry for values from (%L) to (%L)', name,
                       first_day::timestamp at time zone 'UTC', (first_day + interval '1 month')::timestamp at time zone 'UTC');
        execute format('create trigger no_truncate before truncate on ledger.%I execute function ledger.ledger_refuse_change()', name);
    end if;
end $$;

-- What an entry's hash says about its transaction: id, type, reference, what it reverses, metadata (note, parties) and
-- who posted it, so that a transaction row changed behind the triggers breaks the chains of its entries.
create or replace function ledger.ledger_txn_digest(p_id bigint, p_type text, p_reference text, p_reverses bigint, p_metadata jsonb,
                                  p_created_by text) returns bytea
    language sql stable parallel safe as $$
    select sha256(convert_to(concat_ws('|', p_id, p_type, coalesce(p_reference, ''), coalesce(p_reverses::text, ''),
                                       coalesce(p_metadata::text, ''), p_created_by), 'UTF8'))
$$;

-- Declared stable, like convert_to inside it: only then does PostgreSQL inline it into the caller's expression, which
-- makes the hash three times cheaper than a function call per entry.
create or replace function ledger.ledger_entry_hash(p_previous bytea, p_account bigint, p_seq bigint, p_txn bigint, p_amount bigint,
                                  p_balance_after bigint, p_created_at timestamptz, p_txn_digest bytea) returns bytea
    language sql stable parallel safe as $$
    select sha256(p_previous || convert_to(concat_ws('|', p_account, p_seq, p_txn, p_amount, p_balance_after,
                                                     (extract(epoch from p_created_at) * 1000000)::bigint,
                                                     encode(p_txn_digest, 'hex')), 'UTF8'))
$$;

create or replace function ledger.ledger_company_account(p_name text, p_currency text) returns bigint language plpgsql as $$
declare
    account bigint;
begin
    select id into account from ledger.ledger_account where code = p_name || ':' || p_currency;
    if account is null then
        insert into ledger.ledger_account (code, kind, currency) values (p_name || ':' || p_currency, 'COMPANY', p_currency)
        on conflict (code) do nothing;
        select id into account from ledger.ledger_account where code = p_name || ':' || p_currency;
    end if;
    return account;
end $$;

create or replace function ledger.ledger_wallet(p_distributor bigint, p_currency text) returns bigint language plpgsql as $$
declare
    account bigint;
begin
    select id into account from ledger.ledger_account where kind = 'WALLET' and distributor_id = p_distributor and currency = p_currency;
    if account is null then
        insert into ledger.ledger_account (code, kind, distributor_id, currency)
        values ('WALLET:' || p_distributor || ':' || p_currency, 'WALLET', p_distributor, p_currency)
        on conflict do nothing;
        select id into account from ledger.ledger_account where kind = 'WALLET' and distributor_id = p_distributor and currency = p_currency;
    end if;
    return account;
end $$;

-- The wallets of many distributors at once, opened where missing: one INSERT for the missing ones (in distributor
-- order, like every lock, so two batches opening the same new wallets never wait on each other in a circle), then one
-- SELECT, a statement of its own so that it also sees wallets a concurrent transaction opened first.
create or replace function ledger.ledger_wallets(p_distributors bigint[], p_currency text)
    returns table (distributor_id bigint, account_id bigint) language plpgsql as $$
begin
    insert into ledger.ledger_account (code, kind, distributor_id, currency)
    select 'WALLET:' || d || ':' || p_currency, 'WALLET', d, p_currency
      from (select distinct d from unnest(p_distributors) d) m
     where not exists (select 1 from ledger.ledger_account a
                        where a.kind = 'WALLET' and a.distributor_id = m.d and a.currency = p_currency)
     order by d
    on conflict do nothing;
    return query select a.distributor_id, a.id from ledger.ledger_account a
                  where a.kind = 'WALLET' and a.distributor_id = any (p_distributors) and a.currency = p_currency;
end $$;

-- Posts the legs (account, amount) of transaction p_txn: one statement locks the accounts in ascending id order and reads
-- their heads; the entries' time is taken only then, under the locks, so that an account's later sequence numbers never
-- carry an earlier time (the month partition of an entry always agrees with its place in the chain). The loop chains
-- the hashes (each depends on the one before) and checks that the legs sum to zero per currency and that no wallet's
-- available balance goes negative; one INSERT writes every entry and one UPDATE every account head.
create or replace function ledger.ledger_post(p_txn bigint, p_accounts bigint[], p_amounts bigint[]) returns void language plpgsql as $$
declare
    leg record;
    posted_at timestamptz;
    txn_digest bytea;
    legs integer := coalesce(array_length(p_accounts, 1), 0);
    seen integer := 0;
    current_account bigint;
    seq bigint;
    head bytea;
    balance bigint;
    held bigint;
    kind text;
    currencies text[] := '{}';
    sums bigint[] := '{}';
    i integer;
    l_account bigint[] := '{}';
    l_amount bigint[] := '{}';
    l_seq bigint[] := '{}';
    l_hash bytea[] := '{}';
    l_balance bigint[] := '{}';
    l_held bigint[] := '{}';
    l_kind text[] := '{}';
    e_account bigint[] := '{}';
    e_seq bigint[] := '{}';
    e_amount bigint[] := '{}';
    e_balance bigint[] := '{}';
    e_hash bytea[] := '{}';
    u_account bigint[] := '{}';
    u_seq bigint[] := '{}';
    u_balance bigint[] := '{}';
    u_hash bytea[] := '{}';
begin
    if legs < 2 or legs <> coalesce(array_length(p_amounts, 1), 0) then
        raise exception 'a transaction needs at least two legs' using errcode = 'DLUNB';
    end if;
    -- the rows are locked as the sorted join returns them: ascending account id, the order every posting uses
    for leg in
        select l.account_id, l.amount, a.last_seq, a.last_hash, a.balance, a.held, a.kind, a.currency
          from unnest(p_accounts, p_amounts) with ordinality l(account_id, amount, ord)
          join ledger.ledger_account a on a.id = l.account_id
         order by l.account_id, l.ord
           for update of a
    loop
        seen := seen + 1;
        i := array_position(currencies, leg.currency);
        if i is null then
            currencies := currencies || leg.currency;
            sums := sums || leg.amount;
        else
            sums[i] := sums[i] + leg.amount;
        end if;
        l_account := l_account || leg.account_id; l_amount := l_amount || leg.amount; l_seq := l_seq || leg.last_seq;
        l_hash := l_hash || leg.last_hash; l_balance := l_balance || leg.balance; l_held := l_held || leg.held;
        l_kind := l_kind || leg.kind;
    end loop;
    if seen <> legs then
        raise exception 'unknown account in legs' using errcode = 'DLUNB';
    end if;
    for i in 1 .. array_length(sums, 1) loop
        if sums[i] <> 0 then
            raise exception 'legs do not sum to zero in %', currencies[i] using errcode = 'DLUNB';
        end if;
    end loop;
    posted_at := clock_timestamp();
    select ledger.ledger_txn_digest(t.id, t.type, t.reference, t.reverses_id, t.metadata, t.created_by) into txn_digest
      from ledger.ledger_txn t where t.id = p_txn;
    if txn_digest is null then
        raise exception 'transaction % must exist before its entries', p_txn using errcode = 'DLUNB';
    end if;

    for i in 1 .. legs loop
        if l_amount[i] = 0 then
            continue;
        end if;
        if current_account is distinct from l_account[i] then
            if current_account is not null then
                if kind = 'WALLET' and balance - held < 0 then
                    raise exception 'insufficient funds in account %', current_account using errcode = 'DLINS';
                end if;
                u_account := u_account || current_account; u_seq := u_seq || seq;
                u_balance := u_balance || balance; u_hash := u_hash || head;
            end if;
            current_account := l_account[i]; seq := l_seq[i]; head := l_hash[i];
            balance := l_balance[i]; held := l_held[i]; kind := l_kind[i];
        end if;
        seq := seq + 1;
        balance := balance + l_amount[i];
        head := ledger.ledger_entry_hash(head, current_account, seq, p_txn, l_amount[i], balance, posted_at, txn_digest);
        e_account := e_account || current_account; e_seq := e_seq || seq; e_amount := e_amount || l_amount[i];
        e_balance := e_balance || balance; e_hash := e_hash || head;
    end loop;
    if current_account is null then
        raise exception 'a transaction needs at least one non-zero leg' using errcode = 'DLUNB';
    end if;
    if kind = 'WALLET' and balance - held < 0 then
        raise exception 'insufficient funds in account %', current_account using errcode = 'DLINS';
    end if;
    u_account := u_account || current_account; u_seq := u_seq || seq; u_balance := u_balance || balance; u_hash := u_hash || head;

    insert into ledger.ledger_entry (account_id, seq, txn_id, amount, balance_after, created_at, hash)
    select e.account_id, e.seq, p_txn, e.amount, e.balance_after, posted_at, e.hash
      from unnest(e_account, e_seq, e_amount, e_balance, e_hash) e(account_id, seq, amount, balance_after, hash);
    update ledger.ledger_account a
       set balance = u.balance, last_seq = u.seq, last_hash = u.hash
      from unnest(u_account, u_seq, u_balance, u_hash) u(account_id, seq, balance, hash)
     where a.id = u.account_id;
end $$;

-- Claims (caller, key) for a money-moving request whose result will be p_result. Returns null when the claim is new;
-- otherwise the earlier request's result (after waiting for it to commit, if it is still running). A key reused for
-- another operation or body is refused.
create or replace function ledger.ledger_claim_request(p_caller text, p_key text, p_operation text, p_hash bytea, p_result bigint)
    returns bigint language plpgsql as $$
declare
    earlier record;
begin
    insert into ledger.ledger_request (caller, idempotency_key, operation, request_hash, result_id)
    values (p_caller, p_key, p_operation, p_hash, p_result)
    on conflict do nothing;
    if found then
        return null;
    end if;
    select operation, request_hash, result_id into earlier
      from ledger.ledger_request where caller = p_caller and idempotency_key = p_key;
    if earlier.operation <> p_operation or earlier.request_hash <> p_hash then
        raise exception 'idempotency key reused with a different request' using errcode = 'DLIDM';
    end if;
    return earlier.result_id;
end $$;

-- One journal transaction in one round trip: idempotency claim, transaction row, legs. Returns the transaction id and
-- whether it is the result of an earlier request with the same key.
create or replace function ledger.ledger_execute(p_caller text, p_key text, p_operation text, p_hash bytea, p_type text, p_reference text,
                               p_metadata jsonb, p_created_by text, p_reverses bigint, p_accounts bigint[], p_amounts bigint[])
    returns table (txn_id bigint, replayed boolean) language plpgsql as $$
declare
    txn bigint := nextval('ledger.ledger_txn_id_seq');
    earlier bigint;
begin
    if p_key is not null then
        earlier := ledger.ledger_claim_request(p_caller, p_key, p_operation, p_hash, txn);
        if earlier is not null then
            return query select earlier, true;
            return;
        end if;
    end if;
    insert into ledger.ledger_txn (id, type, reference, reverses_id, metadata, created_by)
    values (txn, p_type, p_reference, p_reverses, p_metadata, p_created_by);
    perform ledger.ledger_post(txn, p_accounts, p_amounts);
    return query select txn, false;
end $$;

-- A transfer between two distributors in one round trip: replays an earlier request with the same key first (whatever
-- has changed since), then checks the company's settings and both members, and posts sender -> recipient (+ fee).
-- Fees go to one of eight sub-accounts FEES.0 .. FEES.7 chosen by the sender, so that concurrent transfers do not
-- all queue on one company row; fee income is the sum of the eight.
-- Returns what the response shows; a replay reads it back from the posted entries, so it answers the same.
create or replace function ledger.ledger_transfer(p_caller text, p_key text, p_hash text, p_user uuid, p_to_code text, p_amount bigint,
                                p_currency text, p_note text)
    returns table (txn_id bigint, replayed boolean, from_code text, to_code text, amount bigint, fee bigint,
                   sender_balance_after bigint, posted_at timestamptz)
    language plpgsql as $$
declare
    settings ledger.ledger_settings;
    sender genealogy.distributor;
    recipient genealogy.distributor;
    txn bigint;
    was_replayed boolean := true;
begin
    select r.result_id into txn from ledger.ledger_request r
     where r.caller = p_caller and r.idempotency_key = p_key and r.operation = 'transfer' and r.request_hash = decode(p_hash, 'hex');
    if txn is null then
        select * into settings from ledger.ledger_settings;
        if not settings.transfers_enabled then
            raise exception 'transfers are switched off' using errcode = 'DLOFF';
        end if;
        if p_currency <> settings.currency then
            raise exception 'transfers are in %', settings.currency using errcode = 'DLCUR';
        end if;
        select * into sender from genealogy.distributor d where d.user_id = p_user;
        if sender.id is null then
            raise exception 'the caller is not a distributor' using errcode = 'DLNOM';
        elsif sender.status <> 'ACTIVE' then
            raise exception 'member % cannot send transfers now', sender.member_code using errcode = 'DLINA';
        end if;
        select * into recipient from genealogy.distributor d where d.member_code = p_to_code;
        if recipient.id is null then
            raise exception 'no member %', p_to_code using errcode = 'DLNTF';
        elsif recipient.id = sender.id then
            raise exception 'a transfer goes to another distributor' using errcode = 'DLSLF';
        elsif recipient.status <> 'ACTIVE' then
            raise exception 'member % cannot receive transfers now', p_to_code using errcode = 'DLINA';
        end if;
        -- wallets opened in distributor order, like every lock, so opposite first transfers do not deadlock
        perform ledger.ledger_wallet(least(sender.id, recipient.id), settings.currency),
                ledger.ledger_wallet(greatest(sender.id, recipient.id), settings.currency);
        select x.txn_id, x.replayed into txn, was_replayed
          from ledger.ledger_execute(p_caller, p_key, 'transfer', decode(p_hash, 'hex'), 'TRANSFER', null,
                              jsonb_build_object('note', p_note, 'from', sender.member_code, 'to', recipient.member_code),
                              p_caller, null,
                              case when settings.transfer_fee > 0
                                   then array[ledger.ledger_wallet(sender.id, settings.currency), ledger.ledger_wallet(recipient.id, settings.currency),
                                              ledger.ledger_company_account('FEES.' || sender.id % 8, settings.currency)]
                                   else array[ledger.ledger_wallet(sender.id, settings.currency), ledger.ledger_wallet(recipient.id, settings.currency)] end,
                              case when settings.transfer_fee > 0
                                   then array[-(p_amount + settings.transfer_fee), p_amount, settings.transfer_fee]
                                   else array[-p_amount, p_amount] end) x;
        if not was_replayed then
            -- what was just posted is known here: the sender's wallet (still locked) holds the balance after it
            return query
                select txn, false, sender.member_code, recipient.member_code, p_amount, settings.transfer_fee, a.balance, t.created_at
                  from ledger.ledger_account a, ledger.ledger_txn t
                 where a.kind = 'WALLET' and a.distributor_id = sender.id and a.currency = settings.currency and t.id = txn;
            return;
        end if;
    end if;
    -- a replay: the figures are read back from the posted entries, so it answers exactly what the first request did
    return query
        select t.id, was_replayed, t.metadata ->> 'from', t.metadata ->> 'to',
               coalesce(sum(e.amount) filter (where d.member_code = t.metadata ->> 'to'), 0)::bigint,
               coalesce(sum(e.amount) filter (where a.kind = 'COMPANY'), 0)::bigint,
               min(e.balance_after) filter (where d.member_code = t.metadata ->> 'from'),
               t.created_at
          from ledger.ledger_txn t
          join ledger.ledger_entry e on e.txn_id = t.id
          join ledger.ledger_account a on a.id = e.account_id
          left join genealogy.distributor d on d.id = a.distributor_id
         where t.id = txn
         group by t.id;
end $$;

-- Reserves p_amount of a wallet's available balance.
create or replace function ledger.ledger_place_hold(p_account bigint, p_amount bigint, p_reason text) returns bigint language plpgsql as $$
declare
    hold bigint;
begin
    update ledger.ledger_account set held = held + p_amount
     where id = p_account and kind = 'WALLET' and balance - held >= p_amount;
    if not found then
        raise exception 'insufficient funds in account %', p_account using errcode = 'DLINS';
    end if;
    insert into ledger.ledger_hold (account_id, amount, reason) values (p_account, p_amount, p_reason) returning id into hold;
    return hold;
end $$;

-- Settles an open hold exactly once: voided (p_legs empty) or posted as transaction p_txn whose legs are given, the
-- first leg being the held wallet's debit. Every account involved is locked in ascending order before the hold itself.
create or replace function ledger.ledger_settle_hold(p_hold bigint, p_txn bigint, p_type text, p_reference text, p_metadata jsonb,
                                   p_created_by text, p_accounts bigint[], p_amounts bigint[]) returns void
    language plpgsql as $$
declare
    hold_account bigint;
    hold_amount bigint;
    posting boolean := coalesce(array_length(p_accounts, 1), 0) > 0;
begin
    select account_id into hold_account from ledger.ledger_hold where id = p_hold;
    if hold_account is null then
        raise exception 'hold % does not exist', p_hold using errcode = 'DLHLD';
    end if;
    perform 1 from ledger.ledger_account where id = any (array_append(coalesce(p_accounts, '{}'), hold_account)) order by id for update;
    if posting then
        insert into ledger.ledger_txn (id, type, reference, metadata, created_by)
        values (p_txn, p_type, p_reference, p_metadata, p_created_by);
    end if;
    update ledger.ledger_hold
       set status = case when posting then 'POSTED' else 'VOIDED' end,
           posted_amount = case when posting then -p_amounts[1] end,
           txn_id = case when posting then p_txn end,
           settled_at = now()
     where id = p_hold and status = 'OPEN'
    returning amount into hold_amount;
    if hold_amount is null then
        raise exception 'hold % is already settled', p_hold using errcode = 'DLHLD';
    end if;
    update ledger.ledger_account set held = held - hold_amount where id = hold_account;
    if posting then
        if p_accounts[1] <> hold_account or -p_amounts[1] > hold_amount or p_amounts[1] >= 0 then
            raise exception 'the first leg must debit the held wallet by at most the held amount' using errcode = 'DLUNB';
        end if;
        perform ledger.ledger_post(p_txn, p_accounts, p_amounts);
    end if;
end $$;

-- The chain check of a set of entries (the live table, or a detached month): recomputes every entry's hash from its
-- predecessor or, for an account's first entry in the set, from the checkpoint it follows (or the zero hash at seq 1),
-- and every running balance.
create or replace function ledger.ledger_verify_chain(p_entries regclass) returns table (account_id bigint, seq bigint, problem text)
    language plpgsql stable as $$
begin
    return query execute format($query$
        with ordered as (
            select e.account_id, e.seq, e.txn_id, e.amount, e.balance_after, e.created_at, e.hash,
                   ledger.ledger_txn_digest(t.id, t.type, t.reference, t.reverses_id, t.metadata, t.created_by) as txn_digest,
                   lag(e.seq) over w as prev_seq, lag(e.hash) over w as prev_hash, lag(e.balance_after) over w as prev_balance
              from %s e
              left join ledger.ledger_txn t on t.id = e.txn_id
            window w as (partition by e.account_id order by e.seq)
        ), expected as (
            select o.*,
                   case when o.prev_seq is not null then o.prev_hash
                        when o.seq = 1 then '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea
                        else c.last_hash end as expected_prev_hash,
                   case when o.prev_seq is not null then o.prev_balance when o.seq = 1 then 0 else c.balance end as expected_prev_balance
              from ordered o
              left join ledger.ledger_checkpoint c on o.prev_seq is null and o.seq > 1 and c.account_id = o.account_id and c.last_seq = o.seq - 1
        )
        select x.account_id, x.seq,
               case when x.prev_seq is not null and x.seq <> x.prev_seq + 1 then 'sequence gap before this entry'
                    when x.expected_prev_hash is null then 'no predecessor or checkpoint for this entry'
                    when x.txn_digest is null then 'its transaction is missing'
                    when x.hash <> ledger.ledger_entry_hash(x.expected_prev_hash, x.account_id, x.seq, x.txn_id, x.amount,
                                                     x.balance_after, x.created_at, x.txn_digest)
                        then 'hash does not match its fields, its transaction and its predecessor'
                    when x.balance_after <> x.expected_prev_balance + x.amount then 'running balance does not add up'
               end
          from expected x$query$, p_entries)
    using p_entries;
end $$;

-- Finds every break in the live ledger: the chains, each account head against its last entry (or checkpoint), each
-- transaction's sum per currency, and the sum of all balances per currency.
create or replace function ledger.ledger_verify() returns table (account_id bigint, seq bigint, problem text) language sql stable as $$
    with heads as (
        select a.id as account_id, a.last_seq as seq,
               case when a.last_seq <> coalesce(l.seq, c.last_seq, 0) then 'account head sequence differs from its last entry'
                    when a.last_hash <> coalesce(l.hash, c.last_hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
                        then 'account head hash differs from its last entry'
                    when a.balance <> coalesce(l.balance_after, c.balance, 0) then 'account balance differs from the sum of its entries'
                    when a.held <> (select coalesce(sum(h.amount), 0) from ledger.ledger_hold h where h.account_id = a.id and h.status = 'OPEN')
                        then 'held amount differs from the open holds'
               end as problem
          from ledger.ledger_account a
          left join lateral (select e.seq, e.hash, e.balance_after from ledger.ledger_entry e where e.account_id = a.id
                              order by e.seq desc limit 1) l on true
          left join lateral (select k.last_seq, k.last_hash, k.balance from ledger.ledger_checkpoint k where k.account_id = a.id
                              order by k.last_seq desc limit 1) c on true
    ), txn_problems as (
        select min(e.account_id) as account_id, min(e.seq) as seq,
               'transaction ' || e.txn_id || ' does not sum to zero in ' || a.currency as problem
          from ledger.ledger_entry e join ledger.ledger_account a on a.id = e.account_id
         group by e.txn_id, a.currency having sum(e.amount) <> 0
    ), totals as (
        select null::bigint, null::bigint, 'balances do not sum to zero in ' || currency
          from ledger.ledger_account group by currency having sum(balance) <> 0
    )
    -- entry-level breaks first: they name the exact (account, sequence) where the chain stops holding
    select p.account_id, p.seq, p.problem from (
        select 1 as rank, * from ledger.ledger_verify_chain('ledger.ledger_entry') where problem is not null
        union all select 2, * from heads where problem is not null
        union all select 3, * from txn_problems
        union all select 4, * from totals
    ) p order by p.rank, p.account_id, p.seq
$$;

-- An archived month on its own: its chains from the previous checkpoints, and each account's last entry equal to the
-- month-end checkpoint written before the month was detached.
create or replace function ledger.ledger_verify_archive(p_entries regclass, p_month date) returns table (account_id bigint, seq bigint, problem text)
    language plpgsql stable as $$
begin
    return query select v.account_id, v.seq, v.problem from ledger.ledger_verify_chain(p_entries) v where v.problem is not null;
    return query execute format($query$
        select coalesce(c.account_id, h.account_id), coalesce(c.last_seq, h.seq),
               'month-end checkpoint does not match the archived chain'
          from (select * from ledger.ledger_checkpoint where month = date_trunc('month', $1)::date) c
          full join (select distinct on (e.account_id) e.account_id, e.seq, e.hash, e.balance_after
                       from %s e order by e.account_id, e.seq desc) h on h.account_id = c.account_id
         where h.account_id is null or c.account_id is null
            or h.seq <> c.last_seq or h.hash <> c.last_hash or h.balance_after <> c.balance
         order by 1, 2$query$, p_entries) using p_month;
end $$;

-- Month-end checkpoints: the chain head of every account that has entries in the month.
create or replace function ledger.ledger_checkpoint_month(p_month date) returns integer language sql as $$
    with heads as (
        select distinct on (e.account_id) e.account_id, e.seq, e.hash, e.balance_after
          from ledger.ledger_entry e
         where e.created_at >= date_trunc('month', p_month)::timestamp at time zone 'UTC'
           and e.created_at < (date_trunc('month', p_month) + interval '1 month')::timestamp at time zone 'UTC'
         order by e.account_id, e.seq desc
    ), written as (
        insert into ledger.ledger_checkpoint (account_id, month, last_seq, last_hash, balance)
        select account_id, date_trunc('month', p_month)::date, seq, hash, balance_after from heads
        on conflict do nothing
        returning 1
    )
    select count(*)::integer from written
$$;
