package io.downline.identity.api;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.UUID;

/**
 * Keeps an account's display name and e-mail in step with the member's profile, in the caller's transaction.
 */
public interface AccountContacts {

    /**
     * An email address belongs to one account (it is where codes and resets go); a taken one is a 409. Two concurrent
     * edits to the same address meet the unique index, which answers 409 as well.
     */
    Uni<Void> update(SqlClient transaction, UUID userId, String displayName, String email);
}
