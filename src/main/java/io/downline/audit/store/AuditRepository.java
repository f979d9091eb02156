package io.downline.audit.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of the audit log (schema audit); the chain itself is kept by audit.append and checked by audit.verify. */
@ApplicationScoped
public class AuditRepository {

    // the event arrives as text: a String bound to a jsonb parameter would be stored as one JSON string
    private static final String APPEND_SQL = "select audit.append($1::text::jsonb) as position";
    private static final String APPEND_HQL = "select audit.append(cast(cast(:event as text) as jsonb))";

    private final Pool pool;

    public AuditRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Long> append(SqlClient connection, String eventJson) {
        return connection.preparedQuery(APPEND_SQL).execute(Tuple.of(eventJson)).map(rows -> rows.iterator().next().getLong("position"));
    }

    public Uni<Long> append(Mutiny.Session session, String eventJson) {
        return session.createNativeQuery(APPEND_HQL, Long.class).setParameter("event", eventJson).getSingleResult();
    }

    /** The filter of a query; null fields do not filter, subjectTypes null means every kind of subject. */
    public record Filter(String actor, String action, String subjectType, String subjectId, Instant from, Instant to,
            String[] subjectTypes) {
    }

    public record EventRow(long position, Instant occurredAt, String actor, String action, String subjectType, String subjectId,
            String before, String after, String reason, String requestId, String hash) {
    }

    /** Events newest first, below the cursor's position. */
    public Uni<List<EventRow>> events(Filter filter, Long beforePosition, int limit) {
        return pool.preparedQuery("""
                select position, occurred_at, actor, action, subject_type, subject_id, before::text as before, after::text as after,
                       reason, request_id, hash
                  from audit.event
                 where ($1::text is null or actor = $1) and ($2::text is null or action = $2)
                   and ($3::text is null or subject_type = $3) and ($4::text is null or subject_id = $4)
                   and ($5::timestamptz is null or occurred_at >= $5) and ($6::timestamptz is null or occurred_at < $6)
                   and ($7::text[] is null or subject_type = any ($7))
                   and ($8::bigint is null or position < $8)
                 order by position desc
                 limit $9""")
                .execute(Tuple.from(new Object[] { filter.actor(), filter.action(), filter.subjectType(), filter.subjectId(),
                        offset(filter.from()), offset(filter.to()), filter.subjectTypes(), beforePosition, limit }))
                .map(rows -> {
                    List<EventRow> events = new ArrayList<>(rows.rowCount());
                    for (Row r : rows) {
                        events.add(new EventRow(r.getLong("position"), r.getOffsetDateTime("occurred_at").toInstant(), r.getString("actor"),
                                r.getString("action"), r.getString("subject_type"), r.getString("subject_id"), r.getString("before"),
                                r.getString("after"), r.getString("reason"), r.getString("request_id"),
                                HexFormat.of().formatHex(r.getBuffer("hash").getBytes())));
                    }
                    return events;
                });
    }

    public record Break(Long position, String problem) {
    }

    public record Verification(long events, long headPosition, List<Break> breaks) {
    }

    /** Recomputes the whole chain in one read-only snapshot: how many events, where the head is, and every break. */
    public Uni<Verification> verify(int maxBreaks) {
        return pool.withTransaction(conn -> conn.query("set transaction isolation level repeatable read, read only").execute()
                .chain(() -> conn.query("select (select count(*) from audit.event) as events, position from audit.chain_head").execute())
                .chain(head -> conn.preparedQuery("select at_position, problem from audit.verify() limit $1").execute(Tuple.of(maxBreaks))
                        .map(rows -> {
                            List<Break> breaks = new ArrayList<>();
                            for (Row r : rows) {
                                breaks.add(new Break(r.getLong("at_position"), r.getString("problem")));
                            }
                            Row h = head.iterator().next();
                            return new Verification(h.getLong("events"), h.getLong("position"), breaks);
                        })));
    }

    private static OffsetDateTime offset(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
