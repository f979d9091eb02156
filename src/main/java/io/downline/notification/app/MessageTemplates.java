package io.downline.notification.app;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.notification.api.MessageKind;

/** Plain-text emails for each kind of message. */
@ApplicationScoped
public class MessageTemplates {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final NotificationConfig config;

    public MessageTemplates(NotificationConfig config) {
        this.config = config;
    }

    public OutgoingEmail render(MessageKind kind, String to, String name, Map<String, String> params, String secret, Instant expiresAt) {
        String company = config.companyName();
        String until = expiresAt == null ? "" : " It works once, until " + WHEN.format(expiresAt) + ".";
        return switch (kind) {
            case ACTIVATION_CODE -> new OutgoingEmail(to, "Your " + company + " activation code", """
                    Hello %s,

                    welcome to %s. Your member code is %s and your login name is %s.

                    Your activation code: %s
                    %s
                    Use it to set your password%s.%s

                    If you did not expect this message, you can ignore it.
                    """.formatted(name, company, params.get("memberCode"), params.get("username"), secret, link(config.activationUrl().orElse(null), "code", secret),
                    config.activationUrl().isPresent() ? " at the link above" : " when you first sign in", until));
            case PASSWORD_RESET -> new OutgoingEmail(to, "Reset your " + company + " password", """
                    Hello %s,

                    someone asked to reset the password of your account %s.

                    Your reset code: %s
                    %s
                    Use it to choose a new password.%s Setting it signs you out everywhere.

                    If you did not ask for this, ignore this message: your password stays as it is.
                    """.formatted(name, params.get("username"), secret, link(config.passwordResetUrl().orElse(null), "token", secret), until));
        };
    }

    private static String link(String page, String parameter, String secret) {
        return page == null ? "" : page + (page.contains("?") ? "&" : "?") + parameter + "=" + URLEncoder.encode(secret, StandardCharsets.UTF_8) + "\n";
    }
}
