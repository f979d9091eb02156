package io.downline.audit.api;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Appends staff actions to the one hash-chained audit log, inside the caller's own transaction, so the event commits or
 * rolls back with the action. Record last in the transaction: the append holds the chain's head until commit.
 */
public interface AuditTrail {

    /** For services on the Vert.x pool: {@code connection} is the one running the action's transaction. */
    Uni<Long> record(SqlClient connection, AuditEvent event);

    /** For services on Hibernate Reactive: {@code session} is the one running the action's transaction. */
    Uni<Long> record(Mutiny.Session session, AuditEvent event);
}
