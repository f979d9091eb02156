-- Group commit of wallet transfers (common.db.GroupCommit): a batch of transfers in one call and one commit. Owned by ledger.

-- Runs each transfer of the batch as ledger_transfer would alone and answers each with its own row: its figures, or
-- the SQLSTATE and message of its own refusal (that transfer's writes are rolled back, the others' stay).
-- Deadlock-free across concurrent batches and single postings: first every wallet the batch may touch is opened, in
-- distributor order, then every account it may touch (wallets and fee sub-accounts) is locked in ascending id order,
-- the order ledger_post uses; the transfers then only take locks they already hold. A deadlock or serialization
-- failure (which would now come only from idempotency keys raced across batches) fails the whole batch, which the
-- caller runs again.
create or replace function ledger.ledger_transfer_batch(p_caller text[], p_key text[], p_hash text[], p_user uuid[], p_to_code text[],
                                                        p_amount bigint[], p_currency text[], p_note text[])
    returns table (ord integer, error_state text, error_message text, txn_id bigint, replayed boolean, from_code text, to_code text,
                   amount bigint, fee bigint, sender_balance_after bigint, posted_at timestamptz)
    language plpgsql as $$
declare
    settings ledger.ledger_settings;
    members bigint[];
    accounts bigint[];
    member bigint;
    result record;
    i integer;
    state text;
    message text;
begin
    select * into settings from ledger.ledger_settings;
    select array_agg(distinct d.id order by d.id) into members
      from unnest(p_user, p_to_code) t(user_id, to_code)
      join genealogy.distributor d on d.user_id = t.user_id or d.member_code = t.to_code
     where d.status = 'ACTIVE';
    accounts := '{}';
    foreach member in array coalesce(members, '{}') loop
        accounts := accounts || ledger.ledger_wallet(member, settings.currency);
    end loop;
    if settings.transfer_fee > 0 then
        select accounts || array_agg(ledger.ledger_company_account('FEES.' || s.sub, settings.currency)) into accounts
          from (select distinct d.id % 8 as sub from genealogy.distributor d where d.user_id = any(p_user)) s;
    end if;
    perform 1 from ledger.ledger_account a where a.id = any(accounts) order by a.id for update;

    for i in 1 .. coalesce(array_length(p_key, 1), 0) loop
        begin
            select * into result
              from ledger.ledger_transfer(p_caller[i], p_key[i], p_hash[i], p_user[i], p_to_code[i], p_amount[i], p_currency[i], p_note[i]);
            return query select i, null::text, null::text, result.txn_id, result.replayed, result.from_code, result.to_code,
                                result.amount, result.fee, result.sender_balance_after, result.posted_at;
        exception when others then
            get stacked diagnostics state = returned_sqlstate, message = message_text;
            if state in ('40001', '40P01') then
                raise;
            end if;
            return query select i, state, message, null::bigint, null::boolean, null::text, null::text, null::bigint, null::bigint,
                                null::bigint, null::timestamptz;
        end;
    end loop;
end $$;
