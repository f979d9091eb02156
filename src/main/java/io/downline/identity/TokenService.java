package io.downline.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.jwt.build.Jwt;

/** Signs access tokens and mints refresh-token secrets. The token's subject is the user id; its upn the username. */
@ApplicationScoped
public class TokenService {

    public static final String SESSION_CLAIM = "sid";

    private final SecureRandom random = new SecureRandom();
    private final String issuer;
    private final Duration accessTtl;
    private final Duration refreshTtl;

    public TokenService(@ConfigProperty(name = "mp.jwt.verify.issuer") String issuer,
            @ConfigProperty(name = "downline.auth.access-token-ttl") Duration accessTtl,
            @ConfigProperty(name = "downline.auth.refresh-token-ttl") Duration refreshTtl) {
        this.issuer = issuer;
        this.accessTtl = accessTtl;
        this.refreshTtl = refreshTtl;
    }

    record RefreshToken(String token, String hash, Instant expiresAt) {
    }

    String accessToken(User user, UUID sessionId) {
        return Jwt.issuer(issuer)
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
        return new RefreshToken(sessionId + "." + encoded, hash(encoded), Instant.now().plus(refreshTtl));
    }

    Duration accessTtl() {
        return accessTtl;
    }

    Duration refreshTtl() {
        return refreshTtl;
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
