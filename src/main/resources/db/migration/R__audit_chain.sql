-- The audit chain: hashing, appending, verification, and the triggers that keep audit.event append-only.

-- The canonical form of an event: a JSON array (unambiguous, whatever the text holds) of its position, its time in UTC
-- to the microsecond and its columns; jsonb's text form is itself canonical (sorted keys, one spelling per value).
create or replace function audit.event_hash(p_previous bytea, p_position bigint, p_occurred_at timestamptz, p_actor text,
                                            p_action text, p_subject_type text, p_subject_id text, p_before jsonb,
                                            p_after jsonb, p_reason text, p_request_id text) returns bytea
    language sql stable parallel safe as $$
    select sha256(p_previous || convert_to(jsonb_build_array(
        p_position, to_char(p_occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), p_actor, p_action,
        p_subject_type, p_subject_id, p_before, p_after, p_reason, p_request_id)::text, 'UTF8'))
$$;

-- Appends one event ({"actor", "action", "subjectType", "subjectId", "before", "after", "reason", "requestId"}) in the
-- caller's transaction and answers its position. The head row's lock serialises appends until the caller commits.
create or replace function audit.append(p_event jsonb) returns bigint language plpgsql as $$
declare
    head     audit.chain_head;
    at       timestamptz := clock_timestamp();
    new_hash bytea;
begin
    select * into head from audit.chain_head for update;
    new_hash := audit.event_hash(head.hash, head.position + 1, at, p_event ->> 'actor', p_event ->> 'action',
                                 p_event ->> 'subjectType', p_event ->> 'subjectId', nullif(p_event -> 'before', 'null'),
                                 nullif(p_event -> 'after', 'null'), p_event ->> 'reason', p_event ->> 'requestId');
    insert into audit.event (position, occurred_at, actor, action, subject_type, subject_id, before, after, reason,
                             request_id, previous_hash, hash)
    values (head.position + 1, at, p_event ->> 'actor', p_event ->> 'action', p_event ->> 'subjectType',
            p_event ->> 'subjectId', nullif(p_event -> 'before', 'null'), nullif(p_event -> 'after', 'null'),
            p_event ->> 'reason', p_event ->> 'requestId', head.hash, new_hash);
    update audit.chain_head set position = head.position + 1, hash = new_hash;
    return head.position + 1;
end $$;

-- Every break in the chain, in position order: a row whose fields no longer give its hash, a row whose previous hash is
-- not its predecessor's hash, a missing position, and a head that does not point at the last row.
create or replace function audit.verify() returns table (at_position bigint, problem text) language sql stable as $$
    with ordered as (
        select e.*, lag(e.position) over w as prev_position, lag(e.hash) over w as prev_hash
          from audit.event e
        window w as (order by e.position)
    ), rows as (
        select o.position,
               case when o.position <> coalesce(o.prev_position, 0) + 1 then 'positions missing before this event'
                    when o.previous_hash <> coalesce(o.prev_hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
                        then 'previous hash differs from the hash of the event before'
                    when o.hash <> audit.event_hash(o.previous_hash, o.position, o.occurred_at, o.actor, o.action,
                                                    o.subject_type, o.subject_id, o.before, o.after, o.reason, o.request_id)
                        then 'hash does not match the event''s fields'
               end as problem
          from ordered o
    ), head as (
        select h.position,
               case when h.position <> coalesce(l.position, 0) then 'the chain head is at another position than the last event'
                    when h.hash <> coalesce(l.hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
                        then 'the chain head hash differs from the last event'
               end as problem
          from audit.chain_head h
          left join lateral (select e.position, e.hash from audit.event e order by e.position desc limit 1) l on true
    )
    select position, problem from rows where problem is not null
    union all
    select position, problem from head where problem is not null
    order by 1
$$;

create or replace function audit.refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'the audit log is append-only: % on % refused', tg_op, tg_table_name using errcode = 'DLIMM';
end $$;

drop trigger if exists event_immutable on audit.event;
create trigger event_immutable before update or delete on audit.event for each row execute function audit.refuse_change();
drop trigger if exists event_no_truncate on audit.event;
create trigger event_no_truncate before truncate on audit.event execute function audit.refuse_change();
-- the head moves forward (append updates it) but is never removed
drop trigger if exists chain_head_kept on audit.chain_head;
create trigger chain_head_kept before delete on audit.chain_head for each row execute function audit.refuse_change();
drop trigger if exists chain_head_no_truncate on audit.chain_head;
create trigger chain_head_no_truncate before truncate on audit.chain_head execute function audit.refuse_change();
