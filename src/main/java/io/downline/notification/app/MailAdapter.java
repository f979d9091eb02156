package io.downline.notification.app;

import io.smallrye.mutiny.Uni;

/** Hands one email to a delivery channel; a failure means "not delivered, try again later". */
public interface MailAdapter {

    Uni<Void> send(OutgoingEmail email);
}
