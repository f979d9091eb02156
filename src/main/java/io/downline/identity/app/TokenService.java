package io.downline.identity.app;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.downline.common.Hashing;
import io.smallrye.jwt.build.Jwt;
import io.downline.identity.store.User;

/**
 * Signs access tokens and mints refresh-token secrets. The token's subject is the user id, its upn the username, and
 * a private claim names the session (providers such as Keycloak use "sid" for their own sessions).
 */
@ApplicationScoped
public class TokenService {

    public static final String SESSION_CLAIM = "dl_session";

    private final SecureRandom random = new SecureRandom();
    private final String issuer;
    private final String audience;
    private final Duration accessTtl;
    private final Duration refreshTtl;

    public TokenService(@ConfigProperty(name = "mp.jwt.verify.issuer") String issuer,
            @ConfigProperty(name = "mp.jwt.verify.audiences") String audience,
            @ConfigProperty(name = "downline.auth.access-token-ttl") Duration accessTtl,
            @ConfigProperty(name = "downline.auth.refresh-token-ttl") Duration refreshTtl) {
        this.issuer = issuer;
        this.audience = audience;
        this.accessTtl = accessTtl;
        this.refreshTtl = refreshTtl;
    }

    record RefreshToken(String token, String hash, Instant expiresAt) {
    }

    String accessToken(User user, UUID sessionId) {
        return Jwt.issuer(issuer)
                .audience(audience)
                .subject(user.id.toString())
                .upn(user.username)
                .groups(user.roles())
                .claim(SESSION_CLAIM, sessionId.toString())
                .expiresIn(accessTtl)
                .jws().keyId("downline-1")
                .sign();
    }

    RefreshToken newRefreshToken(UUID sessionId) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new RefreshToken(sessionId + "." + encoded, Hashing.sha256Hex(encoded), Instant.now().plus(refreshTtl));
    }

    Duration accessTtl() {
        return accessTtl;
    }

    Duration refreshTtl() {
        return refreshTtl;
    }
}
