package io.downline.identity;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * A signature only proves a token was issued; this check makes a disabled or locked user's tokens, and those of a
 * logged-out session, stop working at once rather than when they expire. It costs one primary-key lookup per request.
 */
@ApplicationScoped
public class ActiveTokenAugmentor implements SecurityIdentityAugmentor {

    private final SessionRepository sessions;

    public ActiveTokenAugmentor(SessionRepository sessions) {
        this.sessions = sessions;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        UUID sessionId = sessionOf(token);
        return sessions.tokenStillValid(token.getName(), sessionId).map(valid -> {
            if (!valid) {
                throw new AuthenticationFailedException("token of an inactive user or a closed session");
            }
            return identity;
        });
    }

    static UUID sessionOf(JsonWebToken token) {
        Object claim = token.getClaim(TokenService.SESSION_CLAIM);
        if (claim == null) {
            return null;
        }
        try {
            return UUID.fromString(claim.toString().replace("\"", ""));
        } catch (IllegalArgumentException e) {
            throw new AuthenticationFailedException("malformed session claim");
        }
    }
}
