-- The commerce outbox's commit-ordered reader and its acknowledgement. Owned by commerce.

-- The next events for a consumer, in commit-safe order; the consumer records the last (txid, position) it handled
-- with outbox_ack in the same transaction as its own effects. Read only below common.outbox_read_bound() (a repeatable
-- migration that runs after this one, hence PL/pgSQL, whose body is resolved when called). The consumer's position is
-- read first so that it bounds the index scan; joined in, it was only a filter, and every batch walked all the events
-- ever consumed before it.
create or replace function commerce.outbox_next(p_consumer text, p_limit integer) returns setof commerce.outbox_event language plpgsql stable as $$
declare
    from_txid xid8; -- null when the consumer has no row yet: the coalesce below starts it at the beginning
    from_position bigint;
begin
    select c.last_txid, c.last_position into from_txid, from_position from commerce.outbox_consumer c where c.consumer = p_consumer;
    return query
    select e.*
      from commerce.outbox_event e
     where (e.txid, e.position) > (coalesce(from_txid, '0'::xid8), coalesce(from_position, 0))
       and e.txid < common.outbox_read_bound()
     order by e.txid, e.position
     limit p_limit;
end $$;

create or replace function commerce.outbox_ack(p_consumer text, p_txid xid8, p_position bigint) returns void language sql as $$
    insert into commerce.outbox_consumer (consumer, last_txid, last_position) values (p_consumer, p_txid, p_position)
    on conflict (consumer) do update
       set last_txid = excluded.last_txid, last_position = excluded.last_position, updated_at = now()
     where (outbox_consumer.last_txid, outbox_consumer.last_position) < (excluded.last_txid, excluded.last_position)
$$;
