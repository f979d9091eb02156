package io.downline.commission.store;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL of commission.line: written in the transaction that pays them, read for earnings and their trace. */
@ApplicationScoped
public class LineStore {

    /** A line about to be written. Amounts and base are minor units; amount is negative for a clawback. */
    public record NewLine(String reference, String period, long memberId, String memberCode, String rule, Integer level,
            BigDecimal rate, Long base, long amount, String currency, int planVersion, UUID sourceEvent, UUID sourceOrder,
            String sourceMember, Long reversesLine, JsonObject trace, String status) {
    }

    public record StoredLine(long id, String reference, String period, long memberId, String memberCode, String rule, Integer level,
            BigDecimal rate, Long base, long amount, String currency, int planVersion, UUID sourceEvent, UUID sourceOrder,
            String sourceMember, Long reversesLine, JsonObject trace, String status, Long ledgerTxn, Instant createdAt) {
    }

    /** Writes the lines (skipping a reference written before) and answers the ones written now. */
    public Uni<List<StoredLine>> insert(SqlClient conn, List<NewLine> lines, Long ledgerTxn) {
        if (lines.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Tuple> batch = new ArrayList<>(lines.size());
        for (NewLine l : lines) {
            batch.add(Tuple.tuple(List.of()).addValue(l.reference()).addValue(l.period()).addValue(l.memberId()).addValue(l.memberCode())
                    .addValue(l.rule()).addValue(l.level()).addValue(l.rate()).addValue(l.base()).addValue(l.amount()).addValue(l.currency())
                    .addValue(l.planVersion()).addValue(l.sourceEvent()).addValue(l.sourceOrder()).addValue(l.sourceMember())
                    .addValue(l.reversesLine()).addValue(l.trace()).addValue(l.status()).addValue(ledgerTxn));
        }
        return conn.preparedQuery("""
                insert into commission.line (reference, period, member_id, member_code, rule, level, rate, base, amount, currency,
                       plan_version, source_event, source_order, source_member, reverses_line, trace, status, ledger_txn)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
                on conflict (reference) do nothing
                returning *""")
                .executeBatch(batch)
                .map(LineStore::collectBatch);
    }

    /** The same on a JDBC transaction (the period close's), without the ledger transaction and answering nothing. */
    public void insert(Connection conn, List<NewLine> lines) throws SQLException {
        if (lines.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = conn.prepareStatement("""
                insert into commission.line (reference, period, member_id, member_code, rule, level, rate, base, amount, currency,
                       plan_version, source_event, source_order, source_member, reverses_line, trace, status)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
                on conflict (reference) do nothing""")) {
            for (NewLine l : lines) {
                insert.setString(1, l.reference());
                insert.setString(2, l.period());
                insert.setLong(3, l.memberId());
                insert.setString(4, l.memberCode());
                insert.setString(5, l.rule());
                insert.setObject(6, l.level(), Types.INTEGER);
                insert.setBigDecimal(7, l.rate());
                insert.setObject(8, l.base(), Types.BIGINT);
                insert.setLong(9, l.amount());
                insert.setString(10, l.currency());
                insert.setInt(11, l.planVersion());
                insert.setObject(12, l.sourceEvent(), Types.OTHER);
                insert.setObject(13, l.sourceOrder(), Types.OTHER);
                insert.setString(14, l.sourceMember());
                insert.setObject(15, l.reversesLine(), Types.BIGINT);
                insert.setString(16, l.trace().encode());
                insert.setString(17, l.status());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Channel of the NOTIFY sent when a member's new lines commit (the payload is the member id). */
    public static final String CHANNEL = "commission_line";

    /** Announces the members' new lines when the transaction commits. */
    public Uni<Void> announce(SqlClient conn, long[] memberIds) {
        if (memberIds.length == 0) {
            return Uni.createFrom().voidItem();
        }
        Long[] ids = java.util.Arrays.stream(memberIds).boxed().toArray(Long[]::new);
        return conn.preparedQuery("select pg_notify('" + CHANNEL + "', m::text) from (select distinct unnest($1::bigint[]) as m) d")
                .execute(Tuple.of(ids)).replaceWithVoid();
    }

    /** The lines an order paid (not the clawbacks). */
    public Uni<List<StoredLine>> paidForOrder(SqlClient conn, UUID orderId) {
        return conn.preparedQuery("select * from commission.line where source_order = $1 and rule <> 'CLAWBACK' order by id")
                .execute(Tuple.of(orderId))
                .map(LineStore::collect);
    }

    public Uni<StoredLine> get(SqlClient conn, long id) {
        return conn.preparedQuery("select * from commission.line where id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : toLine(rows.iterator().next()));
    }

    /** A member's lines, newest first, optionally of one period, after the cursor's id. */
    public Uni<List<StoredLine>> forMember(SqlClient conn, long memberId, String period, Long beforeId, int limit) {
        return conn.preparedQuery("""
                select * from commission.line
                 where member_id = $1 and ($2::text is null or period = $2) and ($3::bigint is null or id < $3)
                 order by id desc limit $4""")
                .execute(Tuple.of(memberId, period, beforeId, limit))
                .map(LineStore::collect);
    }

    /** The member's lines written after the given id, oldest first (what a live stream has not sent yet). */
    public Uni<List<StoredLine>> forMemberAfter(SqlClient conn, long memberId, long afterId, int limit) {
        return conn.preparedQuery("select * from commission.line where member_id = $1 and id > $2 order by id limit $3")
                .execute(Tuple.of(memberId, afterId, limit))
                .map(LineStore::collect);
    }

    /** The member's totals of one period, per rule and status. */
    public Uni<List<Total>> totals(SqlClient conn, long memberId, String period) {
        return conn.preparedQuery("""
                select rule, status, currency, sum(amount) as amount, count(*) as lines from commission.line
                 where member_id = $1 and period = $2 group by rule, status, currency order by rule, status""")
                .execute(Tuple.of(memberId, period))
                .map(rows -> {
                    List<Total> totals = new ArrayList<>();
                    for (Row row : rows) {
                        totals.add(new Total(row.getString("rule"), row.getString("status"), row.getString("currency"), row.getLong("amount"),
                                row.getLong("lines")));
                    }
                    return totals;
                });
    }

    public record Total(String rule, String status, String currency, long amount, long lines) {
    }

    /** The newest line id: where a live stream starts. */
    public Uni<Long> lastId(SqlClient conn, long memberId) {
        return conn.preparedQuery("select coalesce(max(id), 0) as last from commission.line where member_id = $1").execute(Tuple.of(memberId))
                .map(rows -> rows.iterator().next().getLong("last"));
    }

    private static List<StoredLine> collect(RowSet<Row> rows) {
        List<StoredLine> lines = new ArrayList<>(rows.size());
        for (Row row : rows) {
            lines.add(toLine(row));
        }
        return lines;
    }

    private static List<StoredLine> collectBatch(RowSet<Row> first) {
        List<StoredLine> lines = new ArrayList<>();
        for (RowSet<Row> rows = first; rows != null; rows = rows.next()) {
            for (Row row : rows) {
                lines.add(toLine(row));
            }
        }
        return lines;
    }

    static StoredLine toLine(Row row) {
        return new StoredLine(row.getLong("id"), row.getString("reference"), row.getString("period"), row.getLong("member_id"),
                row.getString("member_code"), row.getString("rule"), row.getInteger("level"), row.getBigDecimal("rate"), row.getLong("base"),
                row.getLong("amount"), row.getString("currency"), row.getInteger("plan_version"), row.getUUID("source_event"),
                row.getUUID("source_order"), row.getString("source_member"), row.getLong("reverses_line"), row.getJsonObject("trace"),
                row.getString("status"), row.getLong("ledger_txn"), row.getOffsetDateTime("created_at").toInstant());
    }
}
