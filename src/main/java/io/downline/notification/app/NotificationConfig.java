package io.downline.notification.app;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Delivery settings of the notification outbox (environment variables in the README). */
@ConfigMapping(prefix = "downline.notification")
public interface NotificationConfig {

    /** "smtp" sends through the configured mail server; "log" only writes the messages to the log (locally, in tests). */
    @WithDefault("log")
    String adapter();

    /** The company's name in messages. */
    String companyName();

    /** How often pending messages are delivered ("off" in tests, which deliver explicitly). */
    String sendEvery();

    /** Messages claimed per round. */
    @WithDefault("50")
    int batchSize();

    /** Attempts before a message is given up. */
    @WithDefault("8")
    int maxAttempts();

    /** Wait after the first failed attempt; it doubles with every further one. */
    @WithDefault("PT30S")
    Duration firstRetry();

    @WithDefault("PT1H")
    Duration maxRetry();

    /** How long a claimed message waits before another round may try it again (a sender that died mid-way). */
    @WithDefault("PT5M")
    Duration lease();

    /** Page of the app where a reset token is entered; the token is appended as "?token=...". Absent: the token alone. */
    Optional<String> passwordResetUrl();

    /** Page of the app where an account is activated; absent: the code alone. */
    Optional<String> activationUrl();
}
