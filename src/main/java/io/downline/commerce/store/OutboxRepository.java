package io.downline.commerce.store;
import io.downline.commerce.api.CommerceOutbox.OutboxEvent;

import io.downline.commerce.api.CommerceOutbox;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * How other modules consume commerce's transactional outbox: claim the consumer, read the next events in commit-safe
 * order, and acknowledge them in the same transaction as the consumer's own effects, so that a crash redelivers exactly
 * what was not done. Every event is announced with a NOTIFY on {@link #CHANNEL} when its transaction commits.
 */
@ApplicationScoped
public class OutboxRepository implements CommerceOutbox {

    /** The NOTIFY channel woken by every committed outbox event (the payload is the event type). */
    /**
     * Takes the consumer's progress row for this transaction, or answers false at once when another transaction (another
     * worker, in this or another instance) holds it: one consumer reads one event at a time, in order, whoever runs it.
     */
    @Override
    public Uni<Boolean> claim(SqlConnection conn, String consumer) {
        return conn.preparedQuery("insert into commerce.outbox_consumer (consumer) values ($1) on conflict (consumer) do nothing")
                .execute(Tuple.of(consumer))
                .chain(() -> conn.preparedQuery("select 1 from commerce.outbox_consumer where consumer = $1 for update skip locked")
                        .execute(Tuple.of(consumer)))
                .map(rows -> rows.size() == 1);
    }

    /** The consumer's next events: only of transactions that committed below every running one, so none is ever passed. */
    @Override
    public Uni<List<OutboxEvent>> next(SqlConnection conn, String consumer, int limit) {
        return conn.preparedQuery("select id, type, payload, txid::text as txid, position from commerce.outbox_next($1, $2)")
                .execute(Tuple.of(consumer, limit))
                .map(rows -> {
                    List<OutboxEvent> events = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        events.add(new OutboxEvent(row.getUUID("id"), row.getString("type"), row.getJsonObject("payload"),
                                row.getString("txid"), row.getLong("position")));
                    }
                    return events;
                });
    }

    /** Records that the consumer has handled everything up to and including this event (in the caller's transaction). */
    @Override
    public Uni<Void> ack(SqlConnection conn, String consumer, OutboxEvent last) {
        return conn.preparedQuery("select commerce.outbox_ack($1, $2::xid8, $3)")
                .execute(Tuple.of(consumer, last.txid(), last.position())).replaceWithVoid();
    }
}
