package io.downline.identity.app;

import io.downline.identity.api.AccountContacts;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The name and email address of an account, changed by other modules inside their own transaction (profile edits). */
@ApplicationScoped
public class ContactUpdates implements AccountContacts {

    /**
     * An email address belongs to one account (it is where codes and resets go); a taken one is a 409. Two concurrent
     * edits to the same address meet the unique index, which answers 409 as well.
     */
    @Override
    public Uni<Void> update(SqlClient transaction, UUID userId, String displayName, String email) {
        return transaction.preparedQuery("select exists (select 1 from identity.app_user where lower(email) = lower($1) and id <> $2) as taken")
                .execute(Tuple.of(email, userId))
                .chain(rows -> {
                    if (rows.iterator().next().getBoolean("taken")) {
                        return Uni.createFrom().failure(new ProblemException(ProblemType.CONFLICT,
                                "This email address is already used by another account."));
                    }
                    return transaction.preparedQuery("update identity.app_user set display_name = $2, email = $3, updated_at = now() where id = $1")
                            .execute(Tuple.of(userId, displayName, email)).replaceWithVoid();
                });
    }
}
