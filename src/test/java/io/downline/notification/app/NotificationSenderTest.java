package io.downline.notification.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.downline.notification.api.MessageKind;
import io.downline.notification.api.Notification;
import io.downline.notification.api.NotificationOutbox;
import io.downline.support.Mailbox;
import io.downline.support.Network;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

@QuarkusTest
class NotificationSenderTest {

    @Inject
    NotificationSender sender;

    @Inject
    NotificationOutbox outbox;

    @Inject
    Pool pool;

    @Inject
    @Identifier("smtp")
    MailAdapter smtp;

    @Inject
    MockMailbox mockMailbox;

    /** Records what it is given; fails while {@code failing} is set. */
    static final class TestAdapter implements MailAdapter {
        final List<OutgoingEmail> sent = new CopyOnWriteArrayList<>();
        boolean failing;

        @Override
        public Uni<Void> send(OutgoingEmail email) {
            if (failing) {
                return Uni.createFrom().failure(new IllegalStateException("mail server down"));
            }
            sent.add(email);
            return Uni.createFrom().voidItem();
        }

        List<OutgoingEmail> to(String address) {
            return sent.stream().filter(email -> email.to().equals(address)).toList();
        }
    }

    @Test
    void aDeliveredMessageIsMarkedSentAndLosesItsSecret() {
        String to = Mailbox.address("delivered");
        long id = enqueue(MessageKind.ACTIVATION_CODE, to, "7KQ2M9XT4B", Instant.now().plus(Duration.ofDays(1)));
        TestAdapter adapter = new TestAdapter();
        drain(adapter);

        OutgoingEmail email = adapter.to(to).get(0);
        assertTrue(email.body().contains("7KQ2M9XT4B"), email.body());
        assertTrue(email.body().contains("Asha Rao") && email.body().contains("dl00000422"), email.body());
        assertEquals("SENT", column(id, "status"));
        assertNull(column(id, "secret"));
        drain(adapter);
        assertEquals(1, adapter.to(to).size(), "sent once");
    }

    @Test
    void aFailedAttemptIsRetriedWithBackOffThenGivenUp() {
        String to = Mailbox.address("unlucky");
        long id = enqueue(MessageKind.PASSWORD_RESET, to, "reset-token-value", Instant.now().plus(Duration.ofHours(1)));
        TestAdapter adapter = new TestAdapter();
        adapter.failing = true;
        drain(adapter);
        assertEquals("PENDING", column(id, "status"));
        assertEquals("1", column(id, "attempts"));
        assertEquals("reset-token-value", column(id, "secret"), "kept for the next attempt");
        assertTrue(column(id, "last_error").contains("mail server down"));
        long wait = Long.parseLong(column(id, "extract(epoch from next_attempt_at - now())::bigint"));
        assertTrue(wait >= 25 && wait <= 30, "first retry after 30 seconds, was " + wait);

        assertEquals(Duration.ofSeconds(60), sender.backOff(2));
        assertEquals(Duration.ofHours(1), sender.backOff(20), "capped");

        // the last attempt fails too: given up, and the secret goes
        Network.query("update notification.message set attempts = 7, next_attempt_at = now() where id = ? returning 1", id);
        drain(adapter);
        assertEquals("FAILED", column(id, "status"));
        assertNull(column(id, "secret"));
    }

    @Test
    void aMessageWhoseCodeExpiredIsNotSent() {
        String to = Mailbox.address("too-late");
        long id = enqueue(MessageKind.PASSWORD_RESET, to, "stale-token", Instant.now().minusSeconds(1));
        TestAdapter adapter = new TestAdapter();
        drain(adapter);
        assertTrue(adapter.to(to).isEmpty());
        assertEquals("EXPIRED", column(id, "status"));
        assertNull(column(id, "secret"));
    }

    @Test
    void aMessageRolledBackWithItsTransactionIsNeverSent() {
        String to = Mailbox.address("rolled-back");
        try {
            pool.withTransaction(conn -> outbox.enqueue(conn, notification(MessageKind.ACTIVATION_CODE, to, "NEVERSENT1", null))
                    .chain(() -> Uni.createFrom().failure(new IllegalStateException("the registration failed")))).await().indefinitely();
        } catch (IllegalStateException expected) {
            // the event did not happen, so neither does its message
        }
        assertEquals("0", Network.query("select count(*) from notification.message where recipient = ?", to));
    }

    @Test
    void theSmtpAdapterHandsTheMailToTheMailer() {
        String to = Mailbox.address("smtp");
        smtp.send(new OutgoingEmail(to, "Reset your Downline password", "Your reset code: abc")).await().indefinitely();
        var mails = mockMailbox.getMailsSentTo(to);
        assertEquals(1, mails.size());
        assertEquals("Reset your Downline password", mails.get(0).getSubject());
        assertEquals("Your reset code: abc", mails.get(0).getText());
    }

    /** Rounds until nothing is due: messages other tests left pending come first. */
    private void drain(MailAdapter adapter) {
        while (sender.deliverDue(adapter).await().indefinitely() > 0) {
            // next round
        }
    }

    private long enqueue(MessageKind kind, String to, String secret, Instant expiresAt) {
        return pool.withTransaction(conn -> outbox.enqueue(conn, notification(kind, to, secret, expiresAt))).await().indefinitely();
    }

    private static Notification notification(MessageKind kind, String to, String secret, Instant expiresAt) {
        return new Notification(kind, to, "Asha Rao", UUID.randomUUID(), Map.of("username", "dl00000422"), secret, expiresAt);
    }

    private static String column(long id, String expression) {
        return Network.query("select " + expression + " from notification.message where id = ?", id);
    }
}
