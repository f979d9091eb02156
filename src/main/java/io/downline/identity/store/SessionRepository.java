package io.downline.identity.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.downline.identity.app.Instants;

/** Login sessions and their refresh-token hashes; SQL here because rotation is a conditional update. */
@ApplicationScoped
public class SessionRepository {

    public record Session(UUID id, UUID userId, String refreshHash, String previousHash, Instant refreshExpiresAt, Instant revokedAt) {
    }

    public record LinkedAccount(UUID id, boolean active) {
    }

    private final Pool pool;

    public SessionRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> create(UUID id, UUID userId, String refreshHash, Instant refreshExpiresAt, String clientAddress, String userAgent) {
        return pool.preparedQuery("""
                insert into identity.auth_session (id, user_id, refresh_hash, refresh_expires_at, client_address, user_agent)
                values ($1, $2, $3, $4, $5, $6)""")
                .execute(Tuple.tuple().addUUID(id).addUUID(userId).addString(refreshHash)
                        .addOffsetDateTime(Instants.utc(refreshExpiresAt)).addString(clientAddress).addString(userAgent))
                .replaceWithVoid();
    }

    public Uni<Session> find(UUID id) {
        return pool.preparedQuery("""
                select id, user_id, refresh_hash, previous_hash, refresh_expires_at, revoked_at from identity.auth_session where id = $1""")
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 0 ? null : toSession(rows.iterator().next()));
    }

    /** Replaces the refresh hash only if it is still the presented one, so of two concurrent refreshes one wins. */
    public Uni<Boolean> rotate(UUID id, String presentedHash, String newHash, Instant newExpiry) {
        return pool.preparedQuery("""
                update identity.auth_session set previous_hash = refresh_hash, refresh_hash = $3, refresh_expires_at = $4, refreshed_at = now()
                 where id = $1 and refresh_hash = $2 and revoked_at is null""")
                .execute(Tuple.of(id, presentedHash, newHash, Instants.utc(newExpiry)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> revoke(UUID id, String reason) {
        return pool.preparedQuery("update identity.auth_session set revoked_at = now(), revoked_reason = $2 where id = $1 and revoked_at is null")
                .execute(Tuple.of(id, reason))
                .replaceWithVoid();
    }

    /** Consumes a valid activation code and sets the password, in one transaction; false when the code does not fit. */
    public Uni<Boolean> activate(String username, String codeHash, String passwordHash) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                delete from identity.account_activation a using identity.app_user u
                 where a.user_id = u.id and u.username = $1 and a.code_hash = $2 and a.expires_at > now()
                returning a.user_id""")
                .execute(Tuple.of(username, codeHash))
                .chain(rows -> rows.rowCount() == 0 ? Uni.createFrom().item(false)
                        : conn.preparedQuery("update identity.app_user set password_hash = $2, updated_at = now() where id = $1")
                                .execute(Tuple.of(rows.iterator().next().getUUID("user_id"), passwordHash)).map(updated -> true)));
    }

    /** Whether the account logged in from this address within the last 90 days. */
    public Uni<Boolean> knownPlace(String username, String address) {
        return pool.preparedQuery("""
                select 1 from identity.auth_session s join identity.app_user u on u.id = s.user_id
                 where u.username = $1 and s.client_address = $2 and s.created_at > now() - interval '90 days' limit 1""")
                .execute(Tuple.of(username, address))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Boolean> sessionOpen(UUID sessionId, UUID userId) {
        return pool.preparedQuery("""
                select 1 from identity.auth_session s join identity.app_user u on u.id = s.user_id
                 where s.id = $1 and u.id = $2 and u.status = 'ACTIVE' and s.revoked_at is null""")
                .execute(Tuple.of(sessionId, userId))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<LinkedAccount> linkedAccount(String externalSubject) {
        return pool.preparedQuery("select id, status from identity.app_user where external_subject = $1")
                .execute(Tuple.of(externalSubject))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new LinkedAccount(row.getUUID("id"), "ACTIVE".equals(row.getString("status")));
                });
    }

    private static Session toSession(Row row) {
        return new Session(row.getUUID("id"), row.getUUID("user_id"), row.getString("refresh_hash"), row.getString("previous_hash"),
                row.getOffsetDateTime("refresh_expires_at").toInstant(),
                row.getOffsetDateTime("revoked_at") == null ? null : row.getOffsetDateTime("revoked_at").toInstant());
    }
}
