package io.downline.identity.store;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.common.db.CopyRows;
import io.downline.identity.api.DistributorAccounts;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class DistributorAccountRepository implements DistributorAccounts {

    @Override
    public Uni<Void> openAll(SqlClient conn, UUID[] userIds, String[] usernames, String[] displayNames, String[] emails) {
        return conn.preparedQuery("""
                insert into identity.app_user (id, username, display_name, email, roles)
                select u.id, u.username, u.name, u.email, 'distributor' from unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) as u(id, username, name, email)""")
                .execute(Tuple.tuple().addArrayOfUUID(userIds).addArrayOfString(usernames).addArrayOfString(displayNames).addArrayOfString(emails))
                .replaceWithVoid();
    }

    @Override
    public void copyAll(java.sql.Connection conn, int n, java.util.function.IntFunction<NewAccount> account) throws java.sql.SQLException {
        try (CopyRows rows = new CopyRows(conn, "copy identity.app_user (id, username, display_name, email, roles) from stdin (format csv)")) {
            for (int i = 0; i < n; i++) {
                NewAccount a = account.apply(i);
                rows.value(a.userId()).value(a.username()).value(a.displayName()).value(a.email()).value("distributor");
                rows.endRow();
            }
            rows.finish();
        }
    }
}
