package io.downline.identity;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Login sessions and their refresh-token hashes; SQL here because rotation is a conditional update. */
@ApplicationScoped
public class SessionRepository {

    record Session(UUID id, UUID userId, String refreshHash, Instant refreshExpiresAt, Instant revokedAt) {
    }

    private final Pool pool;

    public SessionRepository(Pool pool) {
        this.pool = pool;
    }

    Uni<Void> create(UUID id, UUID userId, String refreshHash, Instant refreshExpiresAt, String clientAddress, String userAgent) {
        return pool.preparedQuery("""
                insert into auth_session (id, user_id, refresh_hash, refresh_expires_at, client_address, user_agent)
                values ($1, $2, $3, $4, $5, $6)""")
                .execute(Tuple.tuple().addUUID(id).addUUID(userId).addString(refreshHash)
                        .addOffsetDateTime(Instants.utc(refreshExpiresAt)).addString(clientAddress).addString(userAgent))
                .replaceWithVoid();
    }

    Uni<Session> find(UUID id) {
        return pool.preparedQuery("select id, user_id, refresh_hash, refresh_expires_at, revoked_at from auth_session where id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 0 ? null : toSession(rows.iterator().next()));
    }

    /** Replaces the refresh hash only if it is still the presented one, so of two concurrent refreshes one wins. */
    Uni<Boolean> rotate(UUID id, String presentedHash, String newHash, Instant newExpiry) {
        return pool.preparedQuery("""
                update auth_session set refresh_hash = $3, refresh_expires_at = $4, refreshed_at = now()
                 where id = $1 and refresh_hash = $2 and revoked_at is null""")
                .execute(Tuple.of(id, presentedHash, newHash, Instants.utc(newExpiry)))
                .map(rows -> rows.rowCount() == 1);
    }

    Uni<Void> revoke(UUID id, String reason) {
        return pool.preparedQuery("update auth_session set revoked_at = now(), revoked_reason = $2 where id = $1 and revoked_at is null")
                .execute(Tuple.of(id, reason))
                .replaceWithVoid();
    }

    Uni<Void> revokeAllOf(UUID userId, UUID except, String reason) {
        return pool.preparedQuery("""
                update auth_session set revoked_at = now(), revoked_reason = $3
                 where user_id = $1 and revoked_at is null and ($2::uuid is null or id <> $2)""")
                .execute(Tuple.of(userId, except, reason))
                .replaceWithVoid();
    }

    /**
     * Whether a token may still be used: its user is active and, for a token of ours (with a session id), the session is
     * not revoked. A token from an external issuer names a user we may not know; it is refused only if we know that user
     * and they are not active.
     */
    Uni<Boolean> tokenStillValid(String username, UUID sessionId) {
        if (sessionId == null) {
            return pool.preparedQuery("select status from app_user where username = $1")
                    .execute(Tuple.of(username))
                    .map(rows -> rows.rowCount() == 0 || "ACTIVE".equals(rows.iterator().next().getString("status")));
        }
        return pool.preparedQuery("""
                select 1 from auth_session s join app_user u on u.id = s.user_id
                 where s.id = $1 and u.username = $2 and u.status = 'ACTIVE' and s.revoked_at is null""")
                .execute(Tuple.of(sessionId, username))
                .map(rows -> rows.rowCount() == 1);
    }

    private static Session toSession(Row row) {
        return new Session(row.getUUID("id"), row.getUUID("user_id"), row.getString("refresh_hash"),
                row.getOffsetDateTime("refresh_expires_at").toInstant(),
                row.getOffsetDateTime("revoked_at") == null ? null : row.getOffsetDateTime("revoked_at").toInstant());
    }
}
