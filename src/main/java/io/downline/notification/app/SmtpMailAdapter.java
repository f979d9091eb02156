package io.downline.notification.app;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;

/** Sends through the SMTP server of the quarkus.mailer settings (SMTP_* variables). */
@ApplicationScoped
@Identifier("smtp")
public class SmtpMailAdapter implements MailAdapter {

    private final ReactiveMailer mailer;

    public SmtpMailAdapter(ReactiveMailer mailer) {
        this.mailer = mailer;
    }

    @Override
    public Uni<Void> send(OutgoingEmail email) {
        return mailer.send(Mail.withText(email.to(), email.subject(), email.body()));
    }
}
