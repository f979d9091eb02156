package io.downline.identity.api;

import java.util.UUID;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Accounts with the distributor role, opened by genealogy when it registers or imports members, in its transaction
 * (so a member never exists without an account, nor an account without its member). They start inactive.
 */
public interface DistributorAccounts {

    /** Equal-length arrays, one account per index (a batch of registrations, an import). */
    Uni<Void> openAll(SqlClient conn, UUID[] userIds, String[] usernames, String[] displayNames, String[] emails);

    /** An account as a bulk load gives it. */
    record NewAccount(UUID userId, String username, String displayName, String email) {
    }

    /** Many at once through COPY on a JDBC connection, in the caller's transaction (an import of a whole network). */
    void copyAll(java.sql.Connection conn, int n, java.util.function.IntFunction<NewAccount> account) throws java.sql.SQLException;
}
