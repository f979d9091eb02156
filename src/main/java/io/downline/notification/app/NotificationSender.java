package io.downline.notification.app;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.downline.notification.store.MessageRepository;
import io.downline.notification.store.MessageRepository.Claimed;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Delivers pending messages through the configured adapter: each message is claimed for one attempt, then marked sent,
 * or retried later with a doubling back-off, or given up after the last attempt; a message whose code has expired is
 * not sent. Every outcome but a retry erases the message's secret.
 */
@Startup
@ApplicationScoped
public class NotificationSender {

    private static final Logger LOG = Logger.getLogger(NotificationSender.class);

    private final MessageRepository messages;
    private final MessageTemplates templates;
    private final NotificationConfig config;
    private final MailAdapter adapter;

    public NotificationSender(MessageRepository messages, MessageTemplates templates, NotificationConfig config,
            @Any Instance<MailAdapter> adapters) {
        this.messages = messages;
        this.templates = templates;
        this.config = config;
        Instance<MailAdapter> chosen = adapters.select(Identifier.Literal.of(config.adapter()));
        if (!chosen.isResolvable()) {
            throw new IllegalStateException("downline.notification.adapter (MAIL_ADAPTER) must be smtp or log, not " + config.adapter());
        }
        this.adapter = chosen.get();
        if ("log".equals(config.adapter()) && LaunchMode.current() == LaunchMode.NORMAL) {
            LOG.warn("MAIL_ADAPTER=log: activation codes and password reset tokens are written to the log at DEBUG, not sent; "
                    + "set MAIL_ADAPTER=smtp and the SMTP_* variables in production");
        }
    }

    @Scheduled(every = "${downline.notification.send-every}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sendDue() {
        return deliverDue(adapter).replaceWithVoid();
    }

    /** One round with the given adapter; returns how many messages it claimed. */
    Uni<Integer> deliverDue(MailAdapter through) {
        return messages.claimDue(config.batchSize(), config.lease())
                .chain(claimed -> Multi.createFrom().iterable(claimed).onItem().transformToUniAndConcatenate(message -> deliver(message, through))
                        .collect().last().replaceWith(claimed.size()));
    }

    private Uni<Void> deliver(Claimed message, MailAdapter through) {
        if (message.expiresAt() != null && message.expiresAt().isBefore(Instant.now())) {
            return messages.markExpired(message.id());
        }
        OutgoingEmail email = templates.render(message.kind(), message.recipient(), message.recipientName(), message.params(),
                message.secret(), message.expiresAt());
        return through.send(email)
                .onItem().transformToUni(sent -> messages.markSent(message.id()))
                .onFailure().recoverWithUni(failure -> failed(message, failure));
    }

    private Uni<Void> failed(Claimed message, Throwable failure) {
        String error = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (message.attempts() >= config.maxAttempts()) {
            LOG.errorf("Message %d (%s) given up after %d attempts: %s", message.id(), message.kind(), message.attempts(), error);
            return messages.markFailed(message.id(), error);
        }
        LOG.warnf("Message %d (%s) not delivered (attempt %d), trying again later: %s", message.id(), message.kind(), message.attempts(), error);
        return messages.retryLater(message.id(), backOff(message.attempts()), error);
    }

    /** first retry, doubling with each attempt, at most the configured maximum */
    Duration backOff(int attempts) {
        Duration delay = config.firstRetry().multipliedBy(1L << Math.min(attempts - 1, 20));
        return delay.compareTo(config.maxRetry()) > 0 ? config.maxRetry() : delay;
    }
}
