package io.downline.identity.app;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.downline.identity.store.SessionRepository;

/**
 * A signature only proves a token was issued. This check makes the tokens of a locked or disabled user, and those of
 * an ended session, stop working at once rather than when they expire, and tells resources which local account the
 * caller is. It costs one indexed lookup per authenticated request.
 */
@ApplicationScoped
public class ActiveTokenAugmentor implements SecurityIdentityAugmentor {

    /** Identity attribute holding the caller's local user id; absent for an external user with no local account. */
    public static final String USER_ID = "downline.user-id";
    static final String SESSION_ID = "downline.session-id";

    private final SessionRepository sessions;
    private final boolean localLogin;

    /**
     * @param localLogin true when this service issues the tokens it accepts: then each of them names its session, and
     *                   one that does not was not issued by a login here (a leaked signing key, a forged test token)
     */
    public ActiveTokenAugmentor(SessionRepository sessions, @ConfigProperty(name = "downline.auth.local-login") boolean localLogin) {
        this.sessions = sessions;
        this.localLogin = localLogin;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        Object session = token.getClaim(TokenService.SESSION_CLAIM);
        if (session != null) {
            UUID sessionId = uuid(session.toString());
            UUID userId = uuid(token.getSubject());
            return sessions.sessionOpen(sessionId, userId).map(open -> {
                if (!open) {
                    throw new AuthenticationFailedException("token of an inactive user or an ended session");
                }
                return QuarkusSecurityIdentity.builder(identity).addAttribute(USER_ID, userId).addAttribute(SESSION_ID, sessionId).build();
            });
        }
        if (localLogin) {
            throw new AuthenticationFailedException("token of this service's issuer without a session");
        }
        // A token of the company's own identity provider: its account here, if linked, must be active.
        return sessions.linkedAccount(token.getIssuer() + "|" + token.getSubject()).map(account -> {
            if (account == null) {
                return identity;
            }
            if (!account.active()) {
                throw new AuthenticationFailedException("token of a locked or disabled user");
            }
            return QuarkusSecurityIdentity.builder(identity).addAttribute(USER_ID, account.id()).build();
        });
    }

    private static UUID uuid(String text) {
        try {
            return UUID.fromString(text.replace("\"", ""));
        } catch (RuntimeException e) {
            throw new AuthenticationFailedException("malformed token claims");
        }
    }
}
