package io.downline.notification.store;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.notification.api.MessageKind;
import io.downline.notification.api.Notification;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of the outbox table notification.message. */
@ApplicationScoped
public class MessageRepository {

    /** A message claimed for one delivery attempt. */
    public record Claimed(long id, MessageKind kind, String recipient, String recipientName, Map<String, String> params, String secret,
            Instant expiresAt, int attempts) {
    }

    private final Pool pool;

    public MessageRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Long> insert(SqlClient conn, Notification n) {
        return conn.preparedQuery("""
                insert into notification.message (kind, recipient, recipient_name, user_id, params, secret, expires_at)
                values ($1, $2, $3, $4, $5, $6, $7) returning id""")
                .execute(Tuple.tuple().addString(n.kind().name()).addString(n.recipient()).addString(n.recipientName())
                        .addUUID(n.userId()).addJsonObject(new JsonObject(Map.copyOf(n.params()))).addString(n.secret())
                        .addOffsetDateTime(n.expiresAt() == null ? null : n.expiresAt().atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getLong("id"));
    }

    public Uni<Void> insertAll(SqlClient conn, List<Notification> messages) {
        return conn.preparedQuery("""
                insert into notification.message (kind, recipient, recipient_name, user_id, params, secret, expires_at)
                select * from unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::jsonb[], $6::text[], $7::timestamptz[])""")
                .execute(Tuple.from(new Object[] {
                        messages.stream().map(n -> n.kind().name()).toArray(String[]::new),
                        messages.stream().map(Notification::recipient).toArray(String[]::new),
                        messages.stream().map(Notification::recipientName).toArray(String[]::new),
                        messages.stream().map(Notification::userId).toArray(java.util.UUID[]::new),
                        messages.stream().map(n -> new JsonObject(Map.copyOf(n.params()))).toArray(JsonObject[]::new),
                        messages.stream().map(Notification::secret).toArray(String[]::new),
                        messages.stream().map(n -> n.expiresAt() == null ? null : n.expiresAt().atOffset(ZoneOffset.UTC)).toArray(OffsetDateTime[]::new) }))
                .replaceWithVoid();
    }

    /**
     * Claims due messages for one attempt each: the attempt is counted and the next one scheduled a lease away, so a
     * sender that dies mid-way leaves its messages to be tried again, and two replicas never claim the same message.
     */
    public Uni<List<Claimed>> claimDue(int limit, Duration lease) {
        return pool.preparedQuery("""
                update notification.message m set attempts = m.attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
                 where m.id in (select id from notification.message where status = 'PENDING' and next_attempt_at <= now()
                                 order by next_attempt_at limit $1 for update skip locked)
                returning m.id, m.kind, m.recipient, m.recipient_name, m.params, m.secret, m.expires_at, m.attempts""")
                .execute(Tuple.of(limit, (double) lease.toSeconds()))
                .map(rows -> {
                    List<Claimed> claimed = new ArrayList<>(rows.rowCount());
                    rows.forEach(row -> claimed.add(toClaimed(row)));
                    return claimed;
                });
    }

    public Uni<Void> markSent(long id) {
        return finish(id, "SENT", null);
    }

    public Uni<Void> markExpired(long id) {
        return finish(id, "EXPIRED", null);
    }

    public Uni<Void> markFailed(long id, String error) {
        return finish(id, "FAILED", error);
    }

    public Uni<Void> retryLater(long id, Duration delay, String error) {
        return pool.preparedQuery("""
                update notification.message set next_attempt_at = now() + make_interval(secs => $2), last_error = $3
                 where id = $1 and status = 'PENDING'""")
                .execute(Tuple.of(id, (double) delay.toSeconds(), error)).replaceWithVoid();
    }

    /** Ends the message; the secret goes with it, whatever the outcome. */
    private Uni<Void> finish(long id, String status, String error) {
        return pool.preparedQuery("""
                update notification.message set status = $2, secret = null, last_error = coalesce($3, last_error),
                       sent_at = case when $2 = 'SENT' then now() end
                 where id = $1 and status = 'PENDING'""")
                .execute(Tuple.of(id, status, error)).replaceWithVoid();
    }

    private static Claimed toClaimed(Row row) {
        Map<String, String> params = new LinkedHashMap<>();
        row.getJsonObject("params").forEach(entry -> params.put(entry.getKey(), String.valueOf(entry.getValue())));
        OffsetDateTime expires = row.getOffsetDateTime("expires_at");
        return new Claimed(row.getLong("id"), MessageKind.valueOf(row.getString("kind")), row.getString("recipient"),
                row.getString("recipient_name"), params, row.getString("secret"), expires == null ? null : expires.toInstant(),
                row.getInteger("attempts"));
    }
}
