package io.downline.grievance.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of grievances (schema grievance). */
@ApplicationScoped
public class GrievanceRepository {

    private final Pool pool;

    public GrievanceRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    public record NewGrievance(String complainant, UUID filedByUser, String purchaseNumber, String contactName, String contact,
            String tokenHash, String category, String subject, String description, Instant filedAt, Instant acknowledgeBy,
            Instant resolveBy) {
    }

    public record Stored(long id, String reference, String complainant, UUID filedByUser, String purchaseNumber, String contactName,
            String contact, String tokenHash, String category, String subject, String description, String status, Instant filedAt,
            Instant acknowledgeBy, Instant resolveBy, Instant acknowledgedAt, Instant closedAt, String outcome) {
    }

    public record Step(String kind, String author, String message, Instant at) {
    }

    public Uni<Stored> insert(SqlClient conn, NewGrievance g) {
        return conn.preparedQuery("""
                insert into grievance.grievance (id, reference, complainant, filed_by_user, purchase_number, contact_name, contact,
                                                 token_hash, category, subject, description, status, filed_at, acknowledge_by, resolve_by)
                select n, 'GRV-' || lpad(n::text, 7, '0'), $1, $2, $3, $4, $5, $6, $7, $8, $9, 'OPEN', $10, $11, $12
                  from nextval('grievance.grievance_seq') n
                returning *""")
                .execute(Tuple.from(new Object[] { g.complainant(), g.filedByUser(), g.purchaseNumber(), g.contactName(), g.contact(),
                        g.tokenHash(), g.category(), g.subject(), g.description(), offset(g.filedAt()), offset(g.acknowledgeBy()),
                        offset(g.resolveBy()) }))
                .map(GrievanceRepository::first);
    }

    public Uni<Stored> byReference(SqlClient conn, String reference, boolean lock) {
        return conn.preparedQuery("select * from grievance.grievance where reference = $1" + (lock ? " for update" : ""))
                .execute(Tuple.of(reference)).map(GrievanceRepository::first);
    }

    public Uni<Stored> update(SqlClient conn, long id, String status, Instant acknowledgedAt, Instant closedAt, String outcome) {
        return conn.preparedQuery("""
                update grievance.grievance set status = $2, acknowledged_at = $3, closed_at = $4, outcome = $5
                 where id = $1 returning *""")
                .execute(Tuple.of(id, status, offset(acknowledgedAt), offset(closedAt), outcome)).map(GrievanceRepository::first);
    }

    public Uni<Void> addStep(SqlClient conn, long grievanceId, String kind, String author, String message, Instant at) {
        return conn.preparedQuery("insert into grievance.step (grievance_id, kind, author, message, at) values ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(grievanceId, kind, author, message, offset(at))).replaceWithVoid();
    }

    public Uni<List<Step>> steps(SqlClient conn, long grievanceId) {
        return conn.preparedQuery("select kind, author, message, at from grievance.step where grievance_id = $1 order by id")
                .execute(Tuple.of(grievanceId)).map(rows -> {
                    List<Step> steps = new ArrayList<>();
                    for (Row r : rows) {
                        steps.add(new Step(r.getString("kind"), r.getString("author"), r.getString("message"),
                                r.getOffsetDateTime("at").toInstant()));
                    }
                    return steps;
                });
    }

    /** Newest first below the cursor's id; a user's own when {@code user} is set, of one status when {@code status} is. */
    public Uni<List<Stored>> list(UUID user, String status, Long beforeId, int limit) {
        return pool.preparedQuery("""
                select * from grievance.grievance
                 where ($1::uuid is null or filed_by_user = $1) and ($2::text is null or status = $2)
                   and ($3::bigint is null or id < $3)
                 order by id desc limit $4""")
                .execute(Tuple.of(user, status, beforeId, limit)).map(GrievanceRepository::all);
    }

    /** Open grievances past a deadline at {@code now}: unacknowledged past 48 hours, or unresolved past a month; oldest first. */
    public Uni<List<Stored>> overdue(Instant now, Long afterId, int limit) {
        return pool.preparedQuery("""
                select * from grievance.grievance
                 where ((status = 'OPEN' and acknowledge_by < $1) or (status in ('OPEN', 'ACKNOWLEDGED') and resolve_by < $1))
                   and ($2::bigint is null or id > $2)
                 order by id limit $3""")
                .execute(Tuple.of(offset(now), afterId, limit)).map(GrievanceRepository::all);
    }

    private static Stored first(RowSet<Row> rows) {
        return rows.rowCount() == 0 ? null : stored(rows.iterator().next());
    }

    private static List<Stored> all(RowSet<Row> rows) {
        List<Stored> found = new ArrayList<>(rows.rowCount());
        for (Row r : rows) {
            found.add(stored(r));
        }
        return found;
    }

    private static Stored stored(Row r) {
        return new Stored(r.getLong("id"), r.getString("reference"), r.getString("complainant"), r.getUUID("filed_by_user"),
                r.getString("purchase_number"), r.getString("contact_name"), r.getString("contact"), r.getString("token_hash"),
                r.getString("category"), r.getString("subject"), r.getString("description"), r.getString("status"),
                instant(r, "filed_at"), instant(r, "acknowledge_by"), instant(r, "resolve_by"), instant(r, "acknowledged_at"),
                instant(r, "closed_at"), r.getString("outcome"));
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime value = r.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime offset(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
