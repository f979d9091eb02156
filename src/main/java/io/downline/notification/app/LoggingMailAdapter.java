package io.downline.notification.app;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;

/**
 * Writes messages to the log instead of sending them, for local runs and tests. Only the recipient is logged at INFO;
 * the body, which carries codes and tokens, only at DEBUG (enabled for this class in the local profile).
 */
@ApplicationScoped
@Identifier("log")
public class LoggingMailAdapter implements MailAdapter {

    private static final Logger LOG = Logger.getLogger(LoggingMailAdapter.class);

    @Override
    public Uni<Void> send(OutgoingEmail email) {
        LOG.infof("Email \"%s\" to %s (logged, not sent)", email.subject(), Recipients.masked(email.to()));
        LOG.debugf("To: %s%nSubject: %s%n%n%s", email.to(), email.subject(), email.body());
        return Uni.createFrom().voidItem();
    }
}
