package io.downline.notification.app;

/** A rendered email, ready for an adapter. */
public record OutgoingEmail(String to, String subject, String body) {
}
