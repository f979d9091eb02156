package io.downline.identity.app;

import io.downline.identity.api.Throttle;
import io.downline.identity.api.Activations;

import io.downline.identity.app.LoginThrottle;

import io.downline.identity.api.ActivationCodes;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.downline.common.Hashing;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.identity.api.AuthModels.TokenRequest;
import io.downline.identity.api.AuthModels.TokenResponse;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.downline.identity.api.AuthModels;
import io.downline.identity.api.UserStatus;
import io.downline.identity.store.SessionRepository;
import io.downline.identity.store.User;
import io.downline.identity.store.UserRepository;

/** Login, refresh-token rotation and logout. */
@ApplicationScoped
public class AuthService implements Activations {

    private final UserRepository users;
    private final SessionRepository sessions;
    private final LoginThrottle throttle;
    private final PasswordHasher hasher;
    private final TokenService tokens;
    private final boolean localLogin;
    private final int addressAttempts;
    private final Duration addressWindow;

    public AuthService(UserRepository users, SessionRepository sessions, LoginThrottle throttle, PasswordHasher hasher,
            TokenService tokens,
            @ConfigProperty(name = "downline.auth.local-login") boolean localLogin,
            @ConfigProperty(name = "downline.auth.throttle.address-attempts") int addressAttempts,
            @ConfigProperty(name = "downline.auth.throttle.address-window") Duration addressWindow) {
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
        this.hasher = hasher;
        this.tokens = tokens;
        this.localLogin = localLogin;
        this.addressAttempts = addressAttempts;
        this.addressWindow = addressWindow;
    }

    /**
     * The address's attempts and the account's password checks (see {@link LoginThrottle}) are counted before the
     * password is checked, so parallel guesses cannot slip past the limits.
     */
    @WithSession
    public Uni<TokenResponse> login(TokenRequest request, String clientAddress, String userAgent) {
        if (!localLogin) {
            throw new ProblemException(ProblemType.LOCAL_LOGIN_DISABLED, "Sign in with the company's identity provider.");
        }
        String username = request.username().trim().toLowerCase(Locale.ROOT);
        return throttle.hit("address:" + clientAddress, addressAttempts, addressWindow)
                .invoke(wait -> Throttle.refuseIfThrottled(wait, "Too many login attempts from this address."))
                .chain(() -> throttle.beforePasswordCheck(username, clientAddress))
                .chain(() -> users.findByUsername(username))
                .chain(user -> hasher.matches(request.password(), user == null ? null : user.passwordHash).chain(matches -> {
                    if (!matches) {
                        return Uni.createFrom().failure(new ProblemException(ProblemType.INVALID_CREDENTIALS, "The username or password is wrong."));
                    }
                    requireActive(user);
                    return throttle.afterCorrectPassword(username, clientAddress).chain(() -> openSession(user, clientAddress, userAgent));
                }));
    }

    @WithSession
    public Uni<TokenResponse> refresh(String refreshToken) {
        int dot = refreshToken.indexOf('.');
        UUID sessionId = dot > 0 ? parseUuid(refreshToken.substring(0, dot)) : null;
        if (sessionId == null) {
            throw invalidRefreshToken();
        }
        String presentedHash = Hashing.sha256Hex(refreshToken.substring(dot + 1));
        return sessions.find(sessionId).chain(session -> {
            if (session == null || session.revokedAt() != null || session.refreshExpiresAt().isBefore(Instant.now())) {
                return Uni.createFrom().failure(invalidRefreshToken());
            }
            if (presentedHash.equals(session.previousHash())) {
                // The token this session already rotated away from came back: a copy exists. End the session for both holders.
                return sessions.revoke(sessionId, "refresh token reuse").chain(() -> Uni.createFrom().failure(invalidRefreshToken()));
            }
            if (!presentedHash.equals(session.refreshHash())) {
                return Uni.createFrom().failure(invalidRefreshToken());
            }
            return users.findById(session.userId()).chain(user -> {
                if (user == null || user.status != UserStatus.ACTIVE) {
                    return Uni.createFrom().failure(invalidRefreshToken());
                }
                TokenService.RefreshToken next = tokens.newRefreshToken(sessionId);
                return sessions.rotate(sessionId, presentedHash, next.hash(), next.expiresAt()).map(rotated -> {
                    if (!rotated) {
                        throw invalidRefreshToken();
                    }
                    return tokenResponse(user, sessionId, next);
                });
            });
        });
    }

    /** Sets the first password of an account opened by registration; the code works once, within its validity. */
    @Override
    public Uni<TokenResponse> activate(AuthModels.ActivationRequest request, String clientAddress, String userAgent) {
        String username = request.username().trim().toLowerCase(Locale.ROOT);
        String codeHash = ActivationCodeIssuer.hash(request.activationCode());
        return throttle.beforePasswordCheck(username, clientAddress)
                .chain(() -> hasher.hash(request.password()))
                .chain(hash -> sessions.activate(username, codeHash, hash))
                .chain(activated -> {
                    if (!activated) {
                        return Uni.createFrom().failure(new ProblemException(ProblemType.INVALID_CREDENTIALS,
                                "The activation code is wrong, used or expired."));
                    }
                    return throttle.afterCorrectPassword(username, clientAddress)
                            .chain(() -> Panache.withSession(() -> users.findByUsername(username)))
                            .chain(user -> openSession(user, clientAddress, userAgent));
                });
    }

    public Uni<Void> logout(UUID sessionId) {
        return sessionId == null ? Uni.createFrom().voidItem() : sessions.revoke(sessionId, "logout");
    }

    private Uni<TokenResponse> openSession(User user, String clientAddress, String userAgent) {
        UUID sessionId = UUID.randomUUID();
        TokenService.RefreshToken refresh = tokens.newRefreshToken(sessionId);
        return sessions.create(sessionId, user.id, refresh.hash(), refresh.expiresAt(), clientAddress, truncate(userAgent))
                .map(ignored -> tokenResponse(user, sessionId, refresh));
    }

    private TokenResponse tokenResponse(User user, UUID sessionId, TokenService.RefreshToken refresh) {
        return new TokenResponse(tokens.accessToken(user, sessionId), "Bearer", tokens.accessTtl().toSeconds(),
                refresh.token(), tokens.refreshTtl().toSeconds());
    }

    private static void requireActive(User user) {
        if (user.status == UserStatus.LOCKED) {
            throw new ProblemException(ProblemType.ACCOUNT_LOCKED, "This account is locked; contact your administrator.");
        }
        if (user.status == UserStatus.DISABLED) {
            throw new ProblemException(ProblemType.ACCOUNT_DISABLED, "This account is disabled.");
        }
    }

    private static ProblemException invalidRefreshToken() {
        return new ProblemException(ProblemType.INVALID_TOKEN, "The refresh token is invalid, expired or already used; log in again.");
    }

    private static UUID parseUuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String truncate(String userAgent) {
        return userAgent == null || userAgent.length() <= 300 ? userAgent : userAgent.substring(0, 300);
    }
}
