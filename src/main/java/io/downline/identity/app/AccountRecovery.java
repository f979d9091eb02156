package io.downline.identity.app;

import io.downline.identity.api.Throttle;
import io.downline.identity.app.LoginThrottle;

import io.downline.identity.api.ActivationCodes;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.downline.common.Hashing;
import io.downline.common.RandomCodes;
import io.downline.common.db.Transactions;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.notification.api.MessageKind;
import io.downline.notification.api.Notification;
import io.downline.notification.api.NotificationOutbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.downline.identity.api.UserStatus;
import io.downline.identity.store.RecoveryRepository;

/**
 * Password resets and fresh activation codes, both requested anonymously by login name or email. Every request gets the
 * same answer whether or not the account exists; the message goes only to the email address on the account, never to
 * one the requester names. Requests are throttled per client address (429) and per login (quietly: past the limit no
 * more messages are written, so nobody can flood a person's mailbox).
 */
@ApplicationScoped
public class AccountRecovery {

    private final Pool pool;
    private final RecoveryRepository repository;
    private final ActivationCodes activationCodes;
    private final NotificationOutbox outbox;
    private final LoginThrottle throttle;
    private final PasswordHasher hasher;
    private final boolean localLogin;
    private final Duration resetValidity;
    private final int perAddress;
    private final Duration addressWindow;
    private final int perLogin;
    private final Duration loginWindow;

    public AccountRecovery(Pool pool, RecoveryRepository repository, ActivationCodes activationCodes, NotificationOutbox outbox,
            LoginThrottle throttle, PasswordHasher hasher,
            @ConfigProperty(name = "downline.auth.local-login") boolean localLogin,
            @ConfigProperty(name = "downline.auth.recovery.reset-validity") Duration resetValidity,
            @ConfigProperty(name = "downline.auth.recovery.per-address") int perAddress,
            @ConfigProperty(name = "downline.auth.recovery.address-window") Duration addressWindow,
            @ConfigProperty(name = "downline.auth.recovery.per-login") int perLogin,
            @ConfigProperty(name = "downline.auth.recovery.login-window") Duration loginWindow) {
        this.pool = pool;
        this.repository = repository;
        this.activationCodes = activationCodes;
        this.outbox = outbox;
        this.throttle = throttle;
        this.hasher = hasher;
        this.localLogin = localLogin;
        this.resetValidity = resetValidity;
        this.perAddress = perAddress;
        this.addressWindow = addressWindow;
        this.perLogin = perLogin;
        this.loginWindow = loginWindow;
    }

    /**
     * Sends a reset token to an active account with a password; an account that was never activated gets a fresh
     * activation code instead (it has no password to reset). Locked and disabled accounts get nothing.
     */
    public Uni<Void> requestReset(String login, String clientAddress) {
        requireLocalLogin();
        return recover(login, clientAddress, (conn, account) -> {
            if (!account.activated()) {
                return activationCodes.issue(conn, account.id(), account.username(), account.displayName(), account.email()).replaceWithVoid();
            }
            String token = RandomCodes.token();
            Instant expiresAt = Instant.now().plus(resetValidity);
            return repository.insertReset(conn, account.id(), Hashing.sha256Hex(token), expiresAt)
                    .chain(() -> outbox.enqueue(conn, new Notification(MessageKind.PASSWORD_RESET, account.email(), account.displayName(),
                            account.id(), Map.of("username", account.username()), token, expiresAt)))
                    .replaceWithVoid();
        });
    }

    /** A new activation code, replacing the old (typically expired) one, for an account that was never activated. */
    public Uni<Void> resendActivation(String login, String clientAddress) {
        requireLocalLogin();
        return recover(login, clientAddress, (conn, account) -> account.activated() ? Uni.createFrom().voidItem()
                : activationCodes.issue(conn, account.id(), account.username(), account.displayName(), account.email()).replaceWithVoid());
    }

    /**
     * Uses up the token and sets the new password in one transaction, which also ends every session of the account and
     * voids its other reset tokens: whoever may have known the old password is signed out.
     */
    public Uni<Void> resetPassword(String token, String newPassword, String clientAddress) {
        requireLocalLogin();
        String tokenHash = Hashing.sha256Hex(token.trim());
        return throttle.hit("recovery-address:" + clientAddress, perAddress, addressWindow)
                .invoke(wait -> Throttle.refuseIfThrottled(wait, "Too many account recovery requests from this address."))
                .chain(() -> hasher.hash(newPassword))
                .chain(hash -> Transactions.retrying(pool, conn -> repository.consumeReset(conn, tokenHash).chain(userId -> {
                    if (userId == null) {
                        return Uni.createFrom().failure(new ProblemException(ProblemType.INVALID_TOKEN,
                                "The reset code is wrong, used or expired; ask for a new one."));
                    }
                    return repository.setPassword(conn, userId, hash).chain(username -> {
                        if (username == null) {
                            return Uni.createFrom().failure(new ProblemException(ProblemType.ACCOUNT_LOCKED,
                                    "This account is locked or disabled; contact your administrator."));
                        }
                        return repository.forgetResets(conn, userId)
                                .chain(() -> repository.endSessions(conn, userId, "password reset"))
                                .replaceWith(username);
                    });
                })))
                // the person proved control of the mailbox: earlier failed logins no longer hold them back
                .chain(username -> throttle.clearAccount(username));
    }

    private interface Action {
        Uni<Void> apply(SqlClient conn, RecoveryRepository.Account account);
    }

    private Uni<Void> recover(String login, String clientAddress, Action action) {
        String normalized = login.trim();
        return throttle.hit("recovery-address:" + clientAddress, perAddress, addressWindow)
                .invoke(wait -> Throttle.refuseIfThrottled(wait, "Too many account recovery requests from this address."))
                .chain(() -> throttle.hit("recovery-login:" + normalized.toLowerCase(Locale.ROOT), perLogin, loginWindow))
                .chain(overLimit -> overLimit != null ? Uni.createFrom().voidItem()
                        : Transactions.retrying(pool, conn -> repository.findByLogin(conn, normalized).chain(account ->
                                account == null || account.email() == null || account.status() != UserStatus.ACTIVE
                                        ? Uni.createFrom().voidItem()
                                        : action.apply(conn, account))));
    }

    private void requireLocalLogin() {
        if (!localLogin) {
            throw new ProblemException(ProblemType.LOCAL_LOGIN_DISABLED, "Passwords are managed by the company's identity provider.");
        }
    }
}
