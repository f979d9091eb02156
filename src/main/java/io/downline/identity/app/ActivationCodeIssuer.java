package io.downline.identity.app;
import io.downline.identity.api.ActivationCodes.Issued;

import io.downline.identity.api.ActivationCodes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.common.Hashing;
import io.downline.common.RandomCodes;
import io.downline.notification.api.MessageKind;
import io.downline.notification.api.Notification;
import io.downline.notification.api.NotificationOutbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.downline.identity.store.RecoveryRepository;

/**
 * Issues the one-time code with which a new account sets its first password, and sends it to the account's own email
 * address through the outbox, in the caller's transaction. Only the code's hash is stored.
 */
@ApplicationScoped
public class ActivationCodeIssuer implements ActivationCodes {

    static final Duration VALIDITY = Duration.ofDays(14);

    private final RecoveryRepository repository;
    private final NotificationOutbox outbox;

    public ActivationCodeIssuer(RecoveryRepository repository, NotificationOutbox outbox) {
        this.repository = repository;
        this.outbox = outbox;
    }

    /**
     * Replaces any earlier code of the account. Without an email address there is no one to send it to: the code then
     * works only for an in-process caller, and a new one can be sent once the account has an address.
     */
    @Override
    public Uni<Issued> issue(SqlClient transaction, UUID userId, String username, String name, String email) {
        return issueAll(transaction, List.of(new Recipient(userId, username, name, email))).map(issued -> issued.get(0));
    }

    @Override
    public Uni<List<Issued>> issueAll(SqlClient transaction, List<Recipient> recipients) {
        Instant expiresAt = Instant.now().plus(VALIDITY);
        List<Issued> issued = new ArrayList<>(recipients.size());
        List<Notification> messages = new ArrayList<>(recipients.size());
        for (Recipient r : recipients) {
            String code = RandomCodes.typeable(10);
            issued.add(new Issued(code, expiresAt, r.email() != null));
            if (r.email() != null) {
                messages.add(new Notification(MessageKind.ACTIVATION_CODE, r.email(), r.name(), r.userId(), Map.of("username", r.username()), code,
                        expiresAt));
            }
        }
        return repository.replaceActivations(transaction, recipients.stream().map(Recipient::userId).toArray(UUID[]::new),
                        issued.stream().map(i -> hash(i.code())).toArray(String[]::new), expiresAt)
                .chain(() -> outbox.enqueueAll(transaction, messages))
                .replaceWith(issued);
    }

    /** Codes are case-insensitive and surrounding spaces do not count. */
    static String hash(String code) {
        return Hashing.sha256Hex(code.trim().toUpperCase(Locale.ROOT));
    }
}
