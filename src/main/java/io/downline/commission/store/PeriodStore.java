package io.downline.commission.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL of commission.period. */
@ApplicationScoped
public class PeriodStore {

    public record StoredPeriod(String period, Instant startsAt, Instant endsAt, int planVersion, String status, JsonObject closeState,
            Instant closedAt, String closedBy) {

        public boolean open() {
            return "OPEN".equals(status);
        }
    }

    /** Opens the period with its plan version unless it exists; answers the period as stored either way. */
    public Uni<StoredPeriod> open(SqlClient conn, String period, Instant start, Instant end, int planVersion) {
        return conn.preparedQuery("""
                insert into commission.period (period, starts_at, ends_at, plan_version) values ($1, $2, $3, $4)
                on conflict (period) do nothing""")
                .execute(Tuple.of(period, utc(start), utc(end), planVersion))
                .chain(() -> get(conn, period));
    }

    public Uni<StoredPeriod> get(SqlClient conn, String period) {
        return conn.preparedQuery("select * from commission.period where period = $1").execute(Tuple.of(period))
                .map(rows -> rows.size() == 0 ? null : toPeriod(rows.iterator().next()));
    }

    /** The period locked for this transaction (a close holds it until it commits). */
    public Uni<StoredPeriod> lock(SqlClient conn, String period) {
        return conn.preparedQuery("select * from commission.period where period = $1 for update").execute(Tuple.of(period))
                .map(rows -> rows.size() == 0 ? null : toPeriod(rows.iterator().next()));
    }

    /** The latest start of any period that exists: plans may take effect only after it. */
    public Uni<Instant> latestStart(SqlClient conn) {
        return conn.query("select max(starts_at) as latest from commission.period").execute()
                .map(rows -> {
                    OffsetDateTime latest = rows.iterator().next().getOffsetDateTime("latest");
                    return latest == null ? null : latest.toInstant();
                });
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static StoredPeriod toPeriod(Row row) {
        OffsetDateTime closedAt = row.getOffsetDateTime("closed_at");
        return new StoredPeriod(row.getString("period"), row.getOffsetDateTime("starts_at").toInstant(),
                row.getOffsetDateTime("ends_at").toInstant(), row.getInteger("plan_version"), row.getString("status"),
                row.getJsonObject("close_state"), closedAt == null ? null : closedAt.toInstant(), row.getString("closed_by"));
    }
}
