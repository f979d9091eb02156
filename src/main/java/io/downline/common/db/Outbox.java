package io.downline.common.db;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.downline.common.TimeOrderedUuids;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A module's transactional outbox in its own schema ({@code <schema>.outbox_event}, {@code <schema>.outbox_consumer},
 * the shape of commerce's): events are written in the transaction of the change they describe and announced with a
 * NOTIFY on {@link #channel()} at commit; consumers claim their progress row, read the next events in commit-safe
 * order and acknowledge them in the same transaction as their own effects, so a crash redelivers exactly what was not
 * done. Commit-safe: events are read by (writing transaction, position) and only of transactions below the oldest one
 * of this database still running ({@code common.outbox_read_bound()}), so a transaction that commits late can never be passed.
 */
public final class Outbox {

    /** One event: its id, type and payload, and its place in the commit-safe order (writing transaction, position). */
    public record Event(UUID id, String type, JsonObject payload, String txid, long position) {
    }

    private final String schema;
    private final String channel;

    /** @param schema the owning module's schema (a constant of the code, never input) */
    public Outbox(String schema) {
        if (!schema.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a schema name: " + schema);
        }
        this.schema = schema;
        this.channel = schema + "_outbox";
    }

    /** The NOTIFY channel woken by every committed event (the payload is the event type). */
    public String channel() {
        return channel;
    }

    /** Writes events in the caller's transaction; consumers are woken when it commits. */
    public Uni<Void> publish(SqlClient conn, List<String> types, List<JsonObject> payloads) {
        if (types.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] ids = new UUID[types.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = UUID.randomUUID();
        }
        return conn.preparedQuery("with e as (insert into " + schema + ".outbox_event (id, type, payload) "
                        + "select u.id, u.type, u.payload from unnest($1::uuid[], $2::text[], $3::jsonb[]) with ordinality as u(id, type, payload, n) order by n "
                        + "returning type) select pg_notify('" + channel + "', type) from (select distinct type from e) t")
                .execute(Tuple.of(ids, types.toArray(String[]::new), payloads.toArray(JsonObject[]::new))).replaceWithVoid();
    }

    /**
     * Writes {@code n} events of one type through COPY on a JDBC connection, in the caller's transaction (a bulk load),
     * in index order; consumers are woken when it commits.
     */
    public void copy(java.sql.Connection conn, String type, int n, java.util.function.IntFunction<JsonObject> payload) throws java.sql.SQLException {
        // time-ordered ids: the primary key grows at its right edge instead of taking a million random inserts
        UUID[] ids = TimeOrderedUuids.batch(n);
        try (CopyRows rows = new CopyRows(conn, "copy " + schema + ".outbox_event (id, type, payload) from stdin (format csv)")) {
            for (int i = 0; i < n; i++) {
                rows.value(ids[i]).value(type).value(payload.apply(i).encode());
                rows.endRow();
            }
            rows.finish();
        }
        try (java.sql.PreparedStatement notify = conn.prepareStatement("select pg_notify(?, ?)")) {
            notify.setString(1, channel);
            notify.setString(2, type);
            notify.execute();
        }
    }

    /**
     * Takes the consumer's progress row for this transaction, or answers false at once when another transaction (another
     * worker, in this or another instance) holds it.
     */
    public Uni<Boolean> claim(SqlConnection conn, String consumer) {
        return conn.preparedQuery("insert into " + schema + ".outbox_consumer (consumer) values ($1) on conflict (consumer) do nothing")
                .execute(Tuple.of(consumer))
                .chain(() -> conn.preparedQuery("select 1 from " + schema + ".outbox_consumer where consumer = $1 for update skip locked")
                        .execute(Tuple.of(consumer)))
                .map(rows -> rows.size() == 1);
    }

    /**
     * The consumer's next events: only of transactions that committed below every running one, so none is ever passed.
     * The consumer's position comes from scalar subqueries, so that it bounds the index scan: read through a join, it
     * was only a filter, and every batch walked all the events ever consumed before it (O(history) per batch).
     */
    public Uni<List<Event>> next(SqlConnection conn, String consumer, int limit) {
        return conn.preparedQuery("""
                select e.id, e.type, e.payload, e.txid::text as txid, e.position
                  from %1$s.outbox_event e
                 where (e.txid, e.position) > (coalesce((select c.last_txid from %1$s.outbox_consumer c where c.consumer = $1), '0'::xid8),
                                               coalesce((select c.last_position from %1$s.outbox_consumer c where c.consumer = $1), 0))
                   and e.txid < common.outbox_read_bound()
                 order by e.txid, e.position
                 limit $2""".formatted(schema))
                .execute(Tuple.of(consumer, limit))
                .map(rows -> {
                    List<Event> events = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        events.add(new Event(row.getUUID("id"), row.getString("type"), row.getJsonObject("payload"), row.getString("txid"),
                                row.getLong("position")));
                    }
                    return events;
                });
    }

    /** Records that the consumer has handled everything up to and including this event (in the caller's transaction). */
    public Uni<Void> ack(SqlConnection conn, String consumer, Event last) {
        return conn.preparedQuery("""
                update %s.outbox_consumer set last_txid = $2::xid8, last_position = $3, updated_at = now()
                 where consumer = $1 and (last_txid, last_position) < ($2::xid8, $3)""".formatted(schema))
                .execute(Tuple.of(consumer, last.txid(), last.position())).replaceWithVoid();
    }
}
