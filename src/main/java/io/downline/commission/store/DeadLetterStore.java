package io.downline.commission.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL of commission.dead_letter. */
@ApplicationScoped
public class DeadLetterStore {

    public record DeadLetter(long id, UUID eventId, String source, String type, JsonObject payload, String reason, Instant failedAt,
            int attempts, Instant lastAttemptAt, String lastAttemptBy, Instant replayedAt, String replayedBy) {
    }

    public Uni<Void> record(SqlClient conn, UUID eventId, String source, String type, JsonObject payload, String reason) {
        return conn.preparedQuery("""
                insert into commission.dead_letter (event_id, source, type, payload, reason) values ($1, $2, $3, $4, $5)
                on conflict (event_id) do nothing""")
                .execute(Tuple.of(eventId, source, type, payload, reason)).replaceWithVoid();
    }

    /** Newest first, before the cursor's id. */
    public Uni<List<DeadLetter>> list(SqlClient conn, Long beforeId, int limit) {
        return conn.preparedQuery("""
                select * from commission.dead_letter where ($1::bigint is null or id < $1) order by id desc limit $2""")
                .execute(Tuple.of(beforeId, limit))
                .map(rows -> {
                    List<DeadLetter> letters = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        letters.add(toLetter(row));
                    }
                    return letters;
                });
    }

    /** The letter locked for this transaction (a second replay waits here, then finds it replayed), or null. */
    public Uni<DeadLetter> lock(SqlClient conn, long id) {
        return conn.preparedQuery("select * from commission.dead_letter where id = $1 for update").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : toLetter(rows.iterator().next()));
    }

    /** Records a replay that handled the event. */
    public Uni<DeadLetter> replayed(SqlClient conn, long id, String actor) {
        return conn.preparedQuery("""
                update commission.dead_letter set attempts = attempts + 1, last_attempt_at = now(), last_attempt_by = $2,
                       replayed_at = now(), replayed_by = $2
                 where id = $1 and replayed_at is null returning *""")
                .execute(Tuple.of(id, actor)).map(rows -> toLetter(rows.iterator().next()));
    }

    /** Records a replay that failed again: the letter stays dead-lettered with the new reason; null if it was replayed meanwhile. */
    public Uni<DeadLetter> failedAgain(SqlClient conn, long id, String actor, String reason) {
        return conn.preparedQuery("""
                update commission.dead_letter set attempts = attempts + 1, last_attempt_at = now(), last_attempt_by = $2, reason = $3
                 where id = $1 and replayed_at is null returning *""")
                .execute(Tuple.of(id, actor, reason)).map(rows -> rows.size() == 0 ? null : toLetter(rows.iterator().next()));
    }

    private static DeadLetter toLetter(Row row) {
        return new DeadLetter(row.getLong("id"), row.getUUID("event_id"), row.getString("source"), row.getString("type"),
                row.getJsonObject("payload"), row.getString("reason"), instant(row.getOffsetDateTime("failed_at")), row.getInteger("attempts"),
                instant(row.getOffsetDateTime("last_attempt_at")), row.getString("last_attempt_by"), instant(row.getOffsetDateTime("replayed_at")),
                row.getString("replayed_by"));
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
