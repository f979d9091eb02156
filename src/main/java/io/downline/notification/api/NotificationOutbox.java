package io.downline.notification.api;

import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Writes messages into the outbox; the notification module delivers them after the writing transaction commits. */
public interface NotificationOutbox {

    /**
     * Adds the message inside the caller's transaction, so that it exists exactly when the event that causes it does.
     *
     * @return the message's id
     */
    Uni<Long> enqueue(SqlClient transaction, Notification notification);

    /** Many at once (a batch of registrations), in one statement, in the caller's transaction. */
    Uni<Void> enqueueAll(SqlClient transaction, List<Notification> notifications);
}
