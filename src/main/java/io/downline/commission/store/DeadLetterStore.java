package io.downline.commission.store;

import java.time.Instant;
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

    public record DeadLetter(long id, UUID eventId, String source, String type, JsonObject payload, String reason, Instant failedAt) {
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
                        letters.add(new DeadLetter(row.getLong("id"), row.getUUID("event_id"), row.getString("source"), row.getString("type"),
                                row.getJsonObject("payload"), row.getString("reason"), row.getOffsetDateTime("failed_at").toInstant()));
                    }
                    return letters;
                });
    }
}
