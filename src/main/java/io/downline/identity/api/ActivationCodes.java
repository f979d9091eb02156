package io.downline.identity.api;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.time.Instant;
import java.util.UUID;

/**
 * Activation codes for accounts registered by another module (a recruit's registration), sent to the recruit's own address.
 */
public interface ActivationCodes {

    /** What was issued: the code (for in-process callers such as the demo seeder, never for a response) and its expiry. */
    record Issued(String code, Instant expiresAt, boolean sent) {
    }

    /**
     * Replaces any earlier code of the account. Without an email address there is no one to send it to: the code then
     * works only for an in-process caller, and a new one can be sent once the account has an address.
     */
    Uni<Issued> issue(SqlClient transaction, UUID userId, String username, String name, String email);
}
