package io.downline.notification.app;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.notification.api.Notification;
import io.downline.notification.api.NotificationOutbox;
import io.downline.notification.store.MessageRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

@ApplicationScoped
public class Outbox implements NotificationOutbox {

    private final MessageRepository messages;

    public Outbox(MessageRepository messages) {
        this.messages = messages;
    }

    @Override
    public Uni<Long> enqueue(SqlClient transaction, Notification notification) {
        return messages.insert(transaction, notification);
    }

    @Override
    public Uni<Void> enqueueAll(SqlClient transaction, List<Notification> notifications) {
        return notifications.isEmpty() ? Uni.createFrom().voidItem() : messages.insertAll(transaction, notifications);
    }
}
