package io.downline.identity.api;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.time.Instant;
import java.util.List;
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

    /** Whom a code is issued to: the account, its login name, and the recruit's name and address (may be null). */
    record Recipient(UUID userId, String username, String name, String email) {
    }

    /** {@link #issue} for many accounts at once (a batch of registrations), in two statements: one Issued each, in order. */
    Uni<List<Issued>> issueAll(SqlClient transaction, List<Recipient> recipients);
}
