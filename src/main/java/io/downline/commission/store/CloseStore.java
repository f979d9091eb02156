package io.downline.commission.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.downline.commission.store.LineStore.StoredLine;
import io.downline.commission.store.PeriodStore.StoredPeriod;
import io.downline.common.db.CopyRows;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * SQL of the period close: what a close reads (carry-forward and ranks of the last closed period, instant bonuses and
 * outstanding clawbacks of the period), what it stages (lines, carry-forward, ranks, snapshot) and how it pays them in
 * batches. The compute's writes run on a JDBC connection, so the large ones go through COPY (the reactive client has
 * none); everything else is reactive.
 */
@ApplicationScoped
public class CloseStore {

    private final AgroalDataSource dataSource;

    public CloseStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Binary volume and first-pair flag carried out of the last closed period. */
    public record CarryIn(long memberId, long left, long right, boolean paired) {
    }

    /** A line computed by a close, not yet written. Amounts in minor units; rate as a fraction; trace as JSON text. */
    public record StagedLine(String reference, long memberId, String memberCode, String rule, Integer level, String rate, Long base,
            long amount, long withheld, String sourceMember, String trace) {
    }

    /** A staged line still to be credited. */
    public record PendingLine(long id, String reference, long memberId, String memberCode, long amount, long withheld) {
    }

    /** A member's ranks after a close (rank codes; null for none). */
    public record RankRow(long memberId, String paidAs, String highest) {
    }

    /**
     * Plans this transaction's whole-network reads for what they are: the snapshot reads every member, so hash joins and
     * a sort in memory always win, and a nested loop of a million index lookups (what the planner picks when statistics
     * are missing, e.g. right after a bulk import with autovacuum off: 15 s instead of 2 s at 1M members) never does.
     * Local to the transaction.
     */
    public Uni<Void> planForTheWholeNetwork(SqlClient conn) {
        return conn.query("select set_config('enable_nestloop', 'off', true), set_config('work_mem', '256MB', true)").execute()
                .replaceWithVoid();
    }

    /** The last closed period that ended at or before the instant, or null. */
    public Uni<String> lastClosedBefore(SqlClient conn, Instant start) {
        return conn.preparedQuery("""
                select period from commission.period where status = 'CLOSED' and ends_at <= $1 order by ends_at desc limit 1""")
                .execute(Tuple.of(utc(start)))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("period"));
    }

    public Uni<List<CarryIn>> carryOutOf(SqlClient conn, String period) {
        if (period == null) {
            return Uni.createFrom().item(List.of());
        }
        return conn.preparedQuery("select member_id, left_volume, right_volume, paired from commission.carry_forward where period = $1")
                .execute(Tuple.of(period))
                .map(rows -> {
                    List<CarryIn> carry = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        carry.add(new CarryIn(row.getLong("member_id"), row.getLong("left_volume"), row.getLong("right_volume"),
                                row.getBoolean("paired")));
                    }
                    return carry;
                });
    }

    /** Highest rank achieved by each member as of the close of the period. */
    public Uni<Map<Long, String>> highestRanksAt(SqlClient conn, String period) {
        if (period == null) {
            return Uni.createFrom().item(Map.of());
        }
        return conn.preparedQuery("select member_id, highest from commission.rank_history where period = $1 and highest is not null")
                .execute(Tuple.of(period))
                .map(rows -> {
                    Map<Long, String> ranks = new HashMap<>();
                    for (Row row : rows) {
                        ranks.put(row.getLong("member_id"), row.getString("highest"));
                    }
                    return ranks;
                });
    }

    /** Instant bonuses (sponsor bonus, level commission) paid in the period: they count against its payout cap. */
    public Uni<Long> instantPaid(SqlClient conn, String period) {
        return conn.preparedQuery("""
                select coalesce(sum(amount), 0)::bigint as paid from commission.line where period = $1 and rule in ('SPONSOR_BONUS', 'LEVEL')""")
                .execute(Tuple.of(period)).map(rows -> rows.iterator().next().getLong("paid"));
    }

    /**
     * The period's clawbacks not yet netted off, oldest first. Not locked here: the compute's JDBC transaction holds the
     * period row from before this read until it settles them, and a writer of clawbacks into the period waits for it.
     */
    public Uni<List<StoredLine>> outstanding(SqlClient conn, String period) {
        return conn.preparedQuery("select * from commission.line where period = $1 and status = 'OUTSTANDING' order by id")
                .execute(Tuple.of(period))
                .map(rows -> {
                    List<StoredLine> lines = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        lines.add(LineStore.toLine(row));
                    }
                    return lines;
                });
    }

    /**
     * Opens the compute's JDBC transaction with the period locked, or answers null (and holds nothing) when the period does
     * not exist or another transaction holds it. The caller commits or rolls back, and closes the connection.
     */
    public Connection lockForCompute(String period) throws SQLException {
        Connection conn = dataSource.getConnection();
        try {
            conn.setAutoCommit(false);
            try (PreparedStatement lock = conn.prepareStatement(
                    "select 1 from commission.period where period = ? for update skip locked")) {
                lock.setString(1, period);
                try (ResultSet found = lock.executeQuery()) {
                    if (found.next()) {
                        return conn;
                    }
                }
            }
            conn.rollback();
            conn.close();
            return null;
        } catch (SQLException | RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    /**
     * Writes a close's lines as PENDING through COPY. A line's reference cannot exist yet: the lines commit with the phase
     * change, so a close that wrote them is past computing; a duplicate fails the compute instead of being skipped.
     */
    public void stage(Connection conn, String period, String currency, int planVersion, List<StagedLine> lines) throws SQLException {
        try (CopyRows copy = new CopyRows(conn, """
                copy commission.line (reference, period, member_id, member_code, rule, level, rate, base, amount, currency,
                     plan_version, source_member, trace, status, withheld) from stdin (format csv)""")) {
            for (StagedLine l : lines) {
                copy.value(l.reference()).value(period).value(l.memberId()).value(l.memberCode()).value(l.rule()).value(l.level())
                        .value(l.rate()).value(l.base()).value(l.amount()).value(currency).value(planVersion).value(l.sourceMember())
                        .value(l.trace()).value("PENDING").value(l.withheld()).endRow();
            }
            copy.finish();
        }
    }

    /** Stores the binary volume carried out of the period (members with any carry or a first pair behind them), by COPY. */
    public void saveCarry(Connection conn, String period, long[] memberIds, long[] left, long[] right, boolean[] paired) throws SQLException {
        try (CopyRows copy = new CopyRows(conn,
                "copy commission.carry_forward (period, member_id, left_volume, right_volume, paired) from stdin (format csv)")) {
            for (int i = 0; i < memberIds.length; i++) {
                if (left[i] > 0 || right[i] > 0 || paired[i]) {
                    copy.value(period).value(memberIds[i]).value(left[i]).value(right[i]).value(paired[i]).endRow();
                }
            }
            copy.finish();
        }
    }

    public void saveRanks(Connection conn, String period, List<RankRow> ranks) throws SQLException {
        try (CopyRows copy = new CopyRows(conn, "copy commission.rank_history (period, member_id, paid_as, highest) from stdin (format csv)")) {
            for (RankRow r : ranks) {
                copy.value(period).value(r.memberId()).value(r.paidAs()).value(r.highest()).endRow();
            }
            copy.finish();
        }
    }

    public void saveSnapshot(Connection conn, String period, int members, byte[] data) throws SQLException {
        try (PreparedStatement insert = conn.prepareStatement(
                "insert into commission.close_snapshot (period, members, data) values (?, ?, ?) on conflict (period) do nothing")) {
            insert.setString(1, period);
            insert.setInt(2, members);
            insert.setBytes(3, data);
            insert.executeUpdate();
        }
    }

    public Uni<byte[]> snapshot(SqlClient conn, String period) {
        return conn.preparedQuery("select data from commission.close_snapshot where period = $1").execute(Tuple.of(period))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getBuffer("data").getBytes());
    }

    /** The next staged lines to credit, oldest first, locked for this batch. */
    public Uni<List<PendingLine>> pending(SqlClient conn, String period, int limit) {
        return conn.preparedQuery("""
                select id, reference, member_id, member_code, amount, withheld from commission.line
                 where period = $1 and status = 'PENDING' order by id limit $2 for update""")
                .execute(Tuple.of(period, limit))
                .map(rows -> {
                    List<PendingLine> lines = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        lines.add(new PendingLine(row.getLong("id"), row.getString("reference"), row.getLong("member_id"), row.getString("member_code"),
                                row.getLong("amount"), row.getLong("withheld")));
                    }
                    return lines;
                });
    }

    public Uni<Void> markPaid(SqlClient conn, Long[] ids, Long ledgerTxn) {
        if (ids.length == 0) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("update commission.line set status = 'PAID', ledger_txn = $2 where id = any($1)")
                .execute(Tuple.of(ids, ledgerTxn)).replaceWithVoid();
    }

    /** Settles clawbacks at the close of {@code period}: RECOVERED (netted off) or CARRIED (outstanding in the next period). */
    public void settle(Connection conn, Long[] ids, String status, String period) throws SQLException {
        if (ids.length == 0) {
            return;
        }
        try (PreparedStatement update = conn.prepareStatement(
                "update commission.line set status = ?, settled_in = ? where id = any(?) and status = 'OUTSTANDING'")) {
            update.setString(1, status);
            update.setString(2, period);
            update.setArray(3, conn.createArrayOf("bigint", ids));
            update.executeUpdate();
        }
    }

    /** Moves the period to a status with the close's state; CLOSED also records when and by whom. */
    public Uni<Void> update(SqlClient conn, String period, String status, JsonObject state, String closedBy) {
        return conn.preparedQuery("""
                update commission.period set status = $2, close_state = $3,
                       closed_at = case when $2 = 'CLOSED' then now() else closed_at end,
                       closed_by = case when $2 = 'CLOSED' then $4 else closed_by end
                 where period = $1""")
                .execute(Tuple.of(period, status, state, closedBy)).replaceWithVoid();
    }

    /** The same on the compute's JDBC transaction. */
    public void update(Connection conn, String period, String status, JsonObject state) throws SQLException {
        try (PreparedStatement update = conn.prepareStatement("update commission.period set status = ?, close_state = ?::jsonb where period = ?")) {
            update.setString(1, status);
            update.setString(2, state.encode());
            update.setString(3, period);
            update.executeUpdate();
        }
    }

    /** The period locked for this transaction, or null when it does not exist or another transaction holds it. */
    public Uni<StoredPeriod> lockOrSkip(SqlClient conn, String period) {
        return conn.preparedQuery("select * from commission.period where period = $1 for update skip locked").execute(Tuple.of(period))
                .map(rows -> rows.size() == 0 ? null : PeriodStore.toPeriod(rows.iterator().next()));
    }

    /** Periods, latest first, starting before the cursor's period. */
    public Uni<List<StoredPeriod>> list(SqlClient conn, String before, int limit) {
        return conn.preparedQuery("""
                select * from commission.period
                 where $1::text is null or starts_at < (select starts_at from commission.period where period = $1)
                 order by starts_at desc limit $2""")
                .execute(Tuple.of(before, limit))
                .map(rows -> {
                    List<StoredPeriod> periods = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        periods.add(PeriodStore.toPeriod(row));
                    }
                    return periods;
                });
    }

    /** Periods some close has begun and not finished (a crash left them): they are resumed at start. */
    public Uni<List<String>> closing(SqlClient conn) {
        return conn.query("select period from commission.period where status = 'CLOSING' order by starts_at").execute()
                .map(rows -> {
                    List<String> periods = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        periods.add(row.getString("period"));
                    }
                    return periods;
                });
    }

    /** What the period's close paid per member (binary, matching, pool; before clawbacks were withheld). */
    public Uni<Map<Long, Long>> periodBonuses(SqlClient conn, String period) {
        return conn.preparedQuery("""
                select member_id, sum(amount)::bigint as paid from commission.line
                 where period = $1 and rule in ('BINARY', 'MATCHING', 'POOL') group by member_id""")
                .execute(Tuple.of(period))
                .map(rows -> {
                    Map<Long, Long> paid = new HashMap<>();
                    for (Row row : rows) {
                        paid.put(row.getLong("member_id"), row.getLong("paid"));
                    }
                    return paid;
                });
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
