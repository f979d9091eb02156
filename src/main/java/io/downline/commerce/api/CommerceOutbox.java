package io.downline.commerce.api;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.List;
import java.util.UUID;

/**
 * The commerce outbox for consumers in other modules (the commission workers): claim the consumer, read the next events in commit order, acknowledge, all in the consumer's transaction. Every event is announced with a NOTIFY on CHANNEL when its transaction commits.
 */
public interface CommerceOutbox {

    /** The NOTIFY channel on which every event is announced when its transaction commits. */
    String CHANNEL = "commerce_outbox";

    /** One event: its id, type and payload, and its place in the commit-safe order (writing transaction, position). */
    record OutboxEvent(UUID id, String type, JsonObject payload, String txid, long position) {
    }

    /**
     * Takes the consumer's progress row for this transaction, or answers false at once when another transaction (another
     * worker, in this or another instance) holds it: one consumer reads one event at a time, in order, whoever runs it.
     */
    Uni<Boolean> claim(SqlConnection conn, String consumer);

    /** The consumer's next events: only of transactions that committed below every running one, so none is ever passed. */
    Uni<List<OutboxEvent>> next(SqlConnection conn, String consumer, int limit);

    /** Records that the consumer has handled everything up to and including this event (in the caller's transaction). */
    Uni<Void> ack(SqlConnection conn, String consumer, OutboxEvent last);
}
