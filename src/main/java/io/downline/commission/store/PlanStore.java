package io.downline.commission.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL of commission.plan_version. */
@ApplicationScoped
public class PlanStore {

    /** A stored plan version: the document is the validated plan as JSON. */
    public record StoredPlan(int version, Instant effectiveFrom, JsonObject document, String sourceFormat, String note, String createdBy,
            Instant createdAt) {
    }

    /**
     * Stores the document as the next version, with that number as the document's version label; two concurrent uploads
     * meet the primary key and the loser is retried by the caller.
     */
    public Uni<StoredPlan> insert(SqlClient conn, Instant effectiveFrom, JsonObject document, String format, String note, String actor) {
        return conn.preparedQuery("""
                insert into commission.plan_version (version, effective_from, document, source_format, note, created_by)
                select n.v, $1, jsonb_set($2::jsonb, '{version}', to_jsonb(n.v::text)), $3, $4, $5
                  from (select coalesce(max(version), 0) + 1 as v from commission.plan_version) n
                returning *""")
                .execute(Tuple.of(OffsetDateTime.ofInstant(effectiveFrom, ZoneOffset.UTC), document, format, note, actor))
                .map(rows -> toPlan(rows.iterator().next()));
    }

    public Uni<StoredPlan> get(SqlClient conn, int version) {
        return conn.preparedQuery("select * from commission.plan_version where version = $1").execute(Tuple.of(version))
                .map(rows -> rows.size() == 0 ? null : toPlan(rows.iterator().next()));
    }

    /** The version in force at the instant: the one that took effect last at or before it (of two at once, the later upload). */
    public Uni<StoredPlan> inForceAt(SqlClient conn, Instant at) {
        return conn.preparedQuery("""
                select * from commission.plan_version where effective_from <= $1 order by effective_from desc, version desc limit 1""")
                .execute(Tuple.of(OffsetDateTime.ofInstant(at, ZoneOffset.UTC)))
                .map(rows -> rows.size() == 0 ? null : toPlan(rows.iterator().next()));
    }

    /** Newest first, after the cursor's version. */
    public Uni<List<StoredPlan>> list(SqlClient conn, Long beforeVersion, int limit) {
        return conn.preparedQuery("""
                select * from commission.plan_version where $1::int is null or version < $1 order by version desc limit $2""")
                .execute(Tuple.of(beforeVersion == null ? null : beforeVersion.intValue(), limit))
                .map(rows -> {
                    List<StoredPlan> plans = new ArrayList<>();
                    for (Row row : rows) {
                        plans.add(toPlan(row));
                    }
                    return plans;
                });
    }

    private static StoredPlan toPlan(Row row) {
        return new StoredPlan(row.getInteger("version"), row.getOffsetDateTime("effective_from").toInstant(), row.getJsonObject("document"),
                row.getString("source_format"), row.getString("note"), row.getString("created_by"),
                row.getOffsetDateTime("created_at").toInstant());
    }
}
