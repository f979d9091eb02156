package io.downline.notification.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A message to one person's email address.
 *
 * @param params    what the template shows besides the secret (member code, names); kept with the message
 * @param secret    the one-time code or token the message carries; kept only until the message is delivered
 * @param expiresAt when the secret stops working; an undelivered message is not sent after that
 */
public record Notification(MessageKind kind, String recipient, String recipientName, UUID userId, Map<String, String> params,
        String secret, Instant expiresAt) {
}
