package io.downline.commission.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.commission.store.LineStore.StoredLine;
import io.downline.commission.store.PeriodStore.StoredPeriod;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * SQL of the period close: what a close reads (carry-forward and ranks of the last closed period, instant bonuses and
 * outstanding clawbacks of the period), what it stages (lines, carry-forward, ranks, snapshot) and how it pays them in
 * batches. Large writes go as arrays through {@code unnest}: one statement per chunk, not one per row.
 */
@ApplicationScoped
public class CloseStore {

    /** Rows per array statement: large enough to amortise the round trip, small enough to keep parameters modest. */
    static final int CHUNK = 10_000;

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

    /** The period's clawbacks not yet netted off, oldest first (locked: the close settles them). */
    public Uni<List<StoredLine>> outstanding(SqlClient conn, String period) {
        return conn.preparedQuery("select * from commission.line where period = $1 and status = 'OUTSTANDING' order by id for update")
                .execute(Tuple.of(period))
                .map(rows -> {
                    List<StoredLine> lines = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        lines.add(LineStore.toLine(row));
                    }
                    return lines;
                });
    }

    /** Writes a close's lines as PENDING (a reference written before is skipped). */
    public Uni<Void> stage(SqlClient conn, String period, String currency, int planVersion, List<StagedLine> lines) {
        Uni<Void> done = Uni.createFrom().voidItem();
        for (int from = 0; from < lines.size(); from += CHUNK) {
            List<StagedLine> chunk = lines.subList(from, Math.min(lines.size(), from + CHUNK));
            int n = chunk.size();
            String[] refs = new String[n];
            Long[] members = new Long[n];
            String[] codes = new String[n];
            String[] rules = new String[n];
            Integer[] levels = new Integer[n];
            String[] rates = new String[n];
            Long[] bases = new Long[n];
            Long[] amounts = new Long[n];
            Long[] withheld = new Long[n];
            String[] sources = new String[n];
            String[] traces = new String[n];
            for (int i = 0; i < n; i++) {
                StagedLine l = chunk.get(i);
                refs[i] = l.reference();
                members[i] = l.memberId();
                codes[i] = l.memberCode();
                rules[i] = l.rule();
                levels[i] = l.level();
                rates[i] = l.rate();
                bases[i] = l.base();
                amounts[i] = l.amount();
                withheld[i] = l.withheld();
                sources[i] = l.sourceMember();
                traces[i] = l.trace();
            }
            Tuple params = Tuple.tuple().addValue(period).addValue(currency).addValue(planVersion).addValue(refs).addValue(members)
                    .addValue(codes).addValue(rules).addValue(levels).addValue(rates).addValue(bases).addValue(amounts).addValue(withheld)
                    .addValue(sources).addValue(traces);
            done = done.chain(() -> conn.preparedQuery("""
                    insert into commission.line (reference, period, member_id, member_code, rule, level, rate, base, amount, currency,
                           plan_version, source_member, trace, status, withheld)
                    select r, $1, m, c, ru, l, ra::numeric, b, a, $2, $3, sm, t::jsonb, 'PENDING', w
                      from unnest($4::text[], $5::bigint[], $6::text[], $7::text[], $8::int[], $9::text[], $10::bigint[], $11::bigint[],
                                  $12::bigint[], $13::text[], $14::text[]) as u(r, m, c, ru, l, ra, b, a, w, sm, t)
                    on conflict (reference) do nothing""").execute(params).replaceWithVoid());
        }
        return done;
    }

    /** Stores the binary volume carried out of the period (members with any carry or a first pair behind them). */
    public Uni<Void> saveCarry(SqlClient conn, String period, long[] memberIds, long[] left, long[] right, boolean[] paired) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < memberIds.length; i++) {
            if (left[i] > 0 || right[i] > 0 || paired[i]) {
                kept.add(i);
            }
        }
        Uni<Void> done = Uni.createFrom().voidItem();
        for (int from = 0; from < kept.size(); from += CHUNK) {
            List<Integer> chunk = kept.subList(from, Math.min(kept.size(), from + CHUNK));
            Long[] ids = chunk.stream().map(i -> memberIds[i]).toArray(Long[]::new);
            Long[] l = chunk.stream().map(i -> left[i]).toArray(Long[]::new);
            Long[] r = chunk.stream().map(i -> right[i]).toArray(Long[]::new);
            Boolean[] p = chunk.stream().map(i -> paired[i]).toArray(Boolean[]::new);
            done = done.chain(() -> conn.preparedQuery("""
                    insert into commission.carry_forward (period, member_id, left_volume, right_volume, paired)
                    select $1, m, l, r, p from unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::boolean[]) as u(m, l, r, p)
                    on conflict (period, member_id) do nothing""")
                    .execute(Tuple.of(period, ids, l, r, p)).replaceWithVoid());
        }
        return done;
    }

    public Uni<Void> saveRanks(SqlClient conn, String period, List<RankRow> ranks) {
        Uni<Void> done = Uni.createFrom().voidItem();
        for (int from = 0; from < ranks.size(); from += CHUNK) {
            List<RankRow> chunk = ranks.subList(from, Math.min(ranks.size(), from + CHUNK));
            Long[] ids = chunk.stream().map(RankRow::memberId).toArray(Long[]::new);
            String[] paidAs = chunk.stream().map(RankRow::paidAs).toArray(String[]::new);
            String[] highest = chunk.stream().map(RankRow::highest).toArray(String[]::new);
            done = done.chain(() -> conn.preparedQuery("""
                    insert into commission.rank_history (period, member_id, paid_as, highest)
                    select $1, m, p, h from unnest($2::bigint[], $3::text[], $4::text[]) as u(m, p, h)
                    on conflict (period, member_id) do nothing""")
                    .execute(Tuple.of(period, ids, paidAs, highest)).replaceWithVoid());
        }
        return done;
    }

    public Uni<Void> saveSnapshot(SqlClient conn, String period, int members, byte[] data) {
        return conn.preparedQuery("""
                insert into commission.close_snapshot (period, members, data) values ($1, $2, $3) on conflict (period) do nothing""")
                .execute(Tuple.of(period, members, Buffer.buffer(data))).replaceWithVoid();
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
    public Uni<Void> settle(SqlClient conn, Long[] ids, String status, String period) {
        if (ids.length == 0) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("update commission.line set status = $2, settled_in = $3 where id = any($1) and status = 'OUTSTANDING'")
                .execute(Tuple.of(ids, status, period)).replaceWithVoid();
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
