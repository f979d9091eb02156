package io.downline.identity.app;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * bcrypt via WildFly Elytron. Hashing is deliberately slow, so it runs on a worker thread, never on the event loop;
 * the bean starts with the application so that the decoy hash is computed at boot, not on the first login.
 */
@Startup
@ApplicationScoped
public class PasswordHasher {

    private final Vertx vertx;
    private final int cost;
    /** Checked when the username is unknown, so that the answer takes as long as for a wrong password. */
    private final String decoy;

    public PasswordHasher(Vertx vertx, @ConfigProperty(name = "downline.auth.bcrypt-cost") int cost) {
        this.vertx = vertx;
        this.cost = cost;
        this.decoy = BcryptUtil.bcryptHash("decoy password that matches nothing", cost);
    }

    public Uni<String> hash(String password) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> BcryptUtil.bcryptHash(password, cost)));
    }

    /** @param hash the stored hash, or null for an unknown user (then the result is false, after the same work) */
    public Uni<Boolean> matches(String password, String hash) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> BcryptUtil.matches(password, hash == null ? decoy : hash) && hash != null));
    }
}
