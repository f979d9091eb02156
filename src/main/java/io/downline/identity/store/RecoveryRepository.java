package io.downline.identity.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.downline.identity.api.UserStatus;
import io.downline.identity.app.Instants;

/** SQL of activation codes and password reset tokens; every method runs in the caller's transaction. */
@ApplicationScoped
public class RecoveryRepository {

    /** The account a recovery request names, with what decides which message it gets. */
    public record Account(UUID id, String username, String displayName, String email, UserStatus status, boolean activated) {
    }

    /** By login name or by email address (case-insensitive); locked so that concurrent requests queue. */
    public Uni<Account> findByLogin(SqlClient conn, String login) {
        return conn.preparedQuery("""
                select id, username, display_name, email, status, password_hash is not null as activated from identity.app_user
                 where username = lower($1) or lower(email) = lower($1) limit 1 for update""")
                .execute(Tuple.of(login))
                .map(rows -> rows.rowCount() == 0 ? null : toAccount(rows.iterator().next()));
    }

    public Uni<Void> replaceActivations(SqlClient conn, UUID[] userIds, String[] codeHashes, Instant expiresAt) {
        return conn.preparedQuery("""
                insert into identity.account_activation (user_id, code_hash, expires_at)
                select u.id, u.code_hash, $3 from unnest($1::uuid[], $2::text[]) as u(id, code_hash)
                on conflict (user_id) do update set code_hash = excluded.code_hash, expires_at = excluded.expires_at""")
                .execute(Tuple.of(userIds, codeHashes, Instants.utc(expiresAt))).replaceWithVoid();
    }

    public Uni<Void> insertReset(SqlClient conn, UUID userId, String tokenHash, Instant expiresAt) {
        return conn.preparedQuery("insert into identity.password_reset (token_hash, user_id, expires_at) values ($1, $2, $3)")
                .execute(Tuple.of(tokenHash, userId, Instants.utc(expiresAt))).replaceWithVoid();
    }

    /** Uses up a valid token; the account it belongs to, or null when the token is unknown, used or expired. */
    public Uni<UUID> consumeReset(SqlClient conn, String tokenHash) {
        return conn.preparedQuery("delete from identity.password_reset where token_hash = $1 and expires_at > now() returning user_id")
                .execute(Tuple.of(tokenHash))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getUUID("user_id"));
    }

    /** Sets the new password of an active account and returns its username; null when it is locked or disabled. */
    public Uni<String> setPassword(SqlClient conn, UUID userId, String passwordHash) {
        return conn.preparedQuery("""
                update identity.app_user set password_hash = $2, updated_at = now() where id = $1 and status = 'ACTIVE' returning username""")
                .execute(Tuple.of(userId, passwordHash))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getString("username"));
    }

    /** Every other outstanding reset token of the account stops working with a password change. */
    public Uni<Void> forgetResets(SqlClient conn, UUID userId) {
        return conn.preparedQuery("delete from identity.password_reset where user_id = $1").execute(Tuple.of(userId)).replaceWithVoid();
    }

    public Uni<Void> endSessions(SqlClient conn, UUID userId, String reason) {
        return conn.preparedQuery("update identity.auth_session set revoked_at = now(), revoked_reason = $2 where user_id = $1 and revoked_at is null")
                .execute(Tuple.of(userId, reason)).replaceWithVoid();
    }

    private static Account toAccount(Row row) {
        return new Account(row.getUUID("id"), row.getString("username"), row.getString("display_name"), row.getString("email"),
                UserStatus.valueOf(row.getString("status")), row.getBoolean("activated"));
    }
}
