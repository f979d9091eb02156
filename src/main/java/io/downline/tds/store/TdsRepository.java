package io.downline.tds.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.tds.app.CommissionCreditPosting.NewCredit;
import io.downline.tax.api.FinancialYear;
import io.downline.tds.app.TdsCalculator;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.downline.tds.app.CommissionCreditPosting;

/** SQL of commission credits and the TDS tax ledger; every write is one statement for the whole batch. */
@ApplicationScoped
public class TdsRepository {

    public record Profile(String pan, boolean operative, Instant updatedAt) {
    }

    /** A deductee's year as stored, and as the calculator sees it. */
    public record YearRow(long distributorId, int year, TdsCalculator.YearState state) {
    }

    public record Line(long distributorId, String pan, String section, int year, int quarter, long taxedCreditId, long withCreditId,
            LocalDate creditedOn, LocalDate deductedOn, long gross, BigDecimal ratePercent, long tax, boolean catchUp) {
    }

    public record ReturnRow(String pan, String name, String memberCode, String section, LocalDate creditedOn, LocalDate deductedOn, long gross,
            BigDecimal ratePercent, long tax, boolean catchUp) {
    }

    public Uni<Set<String>> postedReferences(SqlClient client, String[] references) {
        return client.preparedQuery("select source_reference from tds.commission_credit where source_reference = any ($1)")
                .execute(Tuple.of(references)).map(rows -> {
                    Set<String> posted = new HashSet<>();
                    rows.forEach(r -> posted.add(r.getString(0)));
                    return posted;
                });
    }

    public Uni<Map<String, Long>> distributorIds(SqlClient client, String[] codes) {
        return client.preparedQuery("select member_code, id from genealogy.distributor where member_code = any ($1)")
                .execute(Tuple.of(codes)).map(rows -> {
                    Map<String, Long> ids = new HashMap<>();
                    rows.forEach(r -> ids.put(r.getString(0), r.getLong(1)));
                    return ids;
                });
    }

    /**
     * Locks (creating where missing) the deductees' year rows in key order, in one statement: a missing row is inserted,
     * an existing one is locked by a no-op update (which also waits for a concurrent batch that holds it). The states
     * carry no untaxed credits yet.
     */
    public Uni<Map<String, YearRow>> lockYears(SqlClient client, long[] deductees, int[] years) {
        return client.preparedQuery("""
                insert into tds.tds_year as y (distributor_id, financial_year)
                select * from unnest($1::bigint[], $2::int[]) order by 1, 2
                on conflict (distributor_id, financial_year) do update set credited_gross = y.credited_gross
                returning y.distributor_id, y.financial_year, y.credited_gross, y.threshold_crossed, y.outstanding_tax""")
                .execute(Tuple.of(boxed(deductees), boxed(years)))
                .map(rows -> {
                    Map<String, YearRow> states = new HashMap<>();
                    for (Row r : rows) {
                        states.put(r.getLong(0) + ":" + r.getInteger(1), new YearRow(r.getLong(0), r.getInteger(1),
                                new TdsCalculator.YearState(new FinancialYear(r.getInteger(1)), CommissionCreditPosting.rupees(r.getLong(2)),
                                        r.getBoolean(3), CommissionCreditPosting.rupees(r.getLong(4)), List.of())));
                    }
                    return states;
                });
    }

    /**
     * The untaxed credits of the given deductee-years, in credit order: needed only where this batch crosses the year's
     * threshold (for the catch-up), so a batch reads them for those few deductees and not for everybody.
     */
    public Uni<Map<String, List<TdsCalculator.Credit>>> untaxed(SqlClient client, long[] deductees, int[] years) {
        if (deductees.length == 0) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery("""
                select c.distributor_id, c.financial_year, c.id, c.credited_on, c.gross
                  from tds.commission_credit c join unnest($1::bigint[], $2::int[]) k(d, fy)
                    on c.distributor_id = k.d and c.financial_year = k.fy
                 where not c.tds_taxed
                 order by c.id""").execute(Tuple.of(boxed(deductees), boxed(years)))
                .map(rows -> {
                    Map<String, List<TdsCalculator.Credit>> untaxed = new HashMap<>();
                    for (Row r : rows) {
                        untaxed.computeIfAbsent(r.getLong(0) + ":" + r.getInteger(1), k -> new ArrayList<>())
                                .add(new TdsCalculator.Credit(r.getLong(2), r.getLocalDate(3), CommissionCreditPosting.rupees(r.getLong(4))));
                    }
                    return untaxed;
                });
    }

    private static Long[] boxed(long[] values) {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    private static Integer[] boxed(int[] values) {
        Integer[] boxed = new Integer[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    public Uni<Map<Long, Profile>> profiles(SqlClient client, long[] deductees) {
        return client.preparedQuery("select distributor_id, pan, pan_operative, updated_at from tds.tax_profile where distributor_id = any ($1)")
                .execute(Tuple.of(boxed(deductees))).map(rows -> {
                    Map<Long, Profile> profiles = new HashMap<>();
                    for (Row r : rows) {
                        profiles.put(r.getLong(0), new Profile(r.getString(1), r.getString(1) != null && r.getBoolean(2),
                                r.getOffsetDateTime(3).toInstant()));
                    }
                    return profiles;
                });
    }

    /** Inserts the batch's credits; returns the real id of each (by its provisional negative id). */
    public Uni<Map<Long, Long>> insertCredits(SqlClient client, List<NewCredit> credits, String currency, Map<Long, Long> recovered, long txnId) {
        int n = credits.size();
        String[] refs = new String[n];
        Long[] distributors = new Long[n];
        Long[] gross = new Long[n];
        Long[] taken = new Long[n];
        LocalDate[] dates = new LocalDate[n];
        Integer[] years = new Integer[n];
        for (int i = 0; i < n; i++) {
            NewCredit c = credits.get(i);
            refs[i] = c.sourceReference();
            distributors[i] = c.distributorId();
            gross[i] = c.gross();
            taken[i] = recovered.getOrDefault(c.id(), 0L);
            dates[i] = c.creditedOn();
            years[i] = FinancialYear.of(c.creditedOn()).startYear();
        }
        return client.preparedQuery("""
                insert into tds.commission_credit (source_reference, distributor_id, currency, gross, tds, credited_on, financial_year, txn_id)
                select r, d, $7, g, t, c, fy, $8 from unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::date[], $6::int[])
                       as u(r, d, g, t, c, fy)
                returning id, source_reference""")
                .execute(Tuple.from(new Object[] { refs, distributors, gross, taken, dates, years, currency, txnId }))
                .map(rows -> {
                    Map<String, Long> byRef = new HashMap<>();
                    rows.forEach(r -> byRef.put(r.getString(1), r.getLong(0)));
                    Map<Long, Long> ids = new HashMap<>();
                    credits.forEach(c -> ids.put(c.id(), byRef.get(c.sourceReference())));
                    return ids;
                });
    }

    /** Writes the tax lines, marks every taxed credit, and stores each deductee's year state; returns the line count. */
    public Uni<Integer> recordTaxes(SqlClient client, CommissionCreditPosting.Taxes taxes, Map<Long, Long> realIds, long txnId) {
        List<Line> lines = taxes.lines();
        int n = lines.size();
        Long[] deductees = new Long[n];
        String[] pans = new String[n];
        String[] sections = new String[n];
        Integer[] years = new Integer[n];
        Integer[] quarters = new Integer[n];
        Long[] taxed = new Long[n];
        Long[] with = new Long[n];
        LocalDate[] credited = new LocalDate[n];
        LocalDate[] deducted = new LocalDate[n];
        Long[] gross = new Long[n];
        BigDecimal[] rates = new BigDecimal[n];
        Long[] tax = new Long[n];
        Boolean[] catchUp = new Boolean[n];
        for (int i = 0; i < n; i++) {
            Line l = lines.get(i);
            deductees[i] = l.distributorId();
            pans[i] = l.pan();
            sections[i] = l.section();
            years[i] = l.year();
            quarters[i] = l.quarter();
            taxed[i] = real(realIds, l.taxedCreditId());
            with[i] = real(realIds, l.withCreditId());
            credited[i] = l.creditedOn();
            deducted[i] = l.deductedOn();
            gross[i] = l.gross();
            rates[i] = l.ratePercent();
            tax[i] = l.tax();
            catchUp[i] = l.catchUp();
        }
        List<YearRow> after = taxes.yearsAfter();
        Long[] yearDeductees = after.stream().map(YearRow::distributorId).toArray(Long[]::new);
        Integer[] yearKeys = after.stream().map(YearRow::year).toArray(Integer[]::new);
        Long[] credits = after.stream().map(y -> CommissionCreditPosting.paise(y.state().creditedGross())).toArray(Long[]::new);
        Boolean[] crossed = after.stream().map(y -> y.state().thresholdCrossed()).toArray(Boolean[]::new);
        Long[] outstanding = after.stream().map(y -> CommissionCreditPosting.paise(y.state().outstandingTax())).toArray(Long[]::new);
        Uni<Void> writeLines = n == 0 ? Uni.createFrom().voidItem() : client.preparedQuery("""
                insert into tds.tds_deduction (distributor_id, pan, section, financial_year, quarter, taxed_credit_id, with_credit_id,
                                           credited_on, deducted_on, gross, rate_percent, tax, catch_up, txn_id)
                select u.*, $14 from unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::int[], $6::bigint[], $7::bigint[],
                                            $8::date[], $9::date[], $10::bigint[], $11::numeric[], $12::bigint[], $13::boolean[]) u""")
                .execute(Tuple.from(new Object[] { deductees, pans, sections, years, quarters, taxed, with, credited, deducted, gross,
                        rates, tax, catchUp, txnId }))
                .chain(() -> client.preparedQuery("update tds.commission_credit set tds_taxed = true where id = any ($1)")
                        .execute(Tuple.of((Object) taxed)))
                .replaceWithVoid();
        return writeLines.chain(() -> after.isEmpty() ? Uni.createFrom().voidItem() : client.preparedQuery("""
                update tds.tds_year y set credited_gross = u.g, threshold_crossed = u.c, outstanding_tax = u.o
                  from unnest($1::bigint[], $2::int[], $3::bigint[], $4::boolean[], $5::bigint[]) u(d, fy, g, c, o)
                 where y.distributor_id = u.d and y.financial_year = u.fy""")
                .execute(Tuple.from(new Object[] { yearDeductees, yearKeys, credits, crossed, outstanding })).replaceWithVoid())
                .map(ignored -> n);
    }

    public Uni<Profile> profile(SqlClient client, long distributorId) {
        return profiles(client, new long[] { distributorId }).map(profiles -> profiles.get(distributorId));
    }

    /**
     * Staff pass whether the PAN is operative; a distributor's own entry (operative null) is not operative until staff
     * confirm it, and changing the PAN withdraws an earlier confirmation: nobody lowers their own TDS rate by typing a PAN.
     */
    public Uni<Void> saveProfile(SqlClient client, long distributorId, String pan, Boolean operative, String actor) {
        return client.preparedQuery("""
                insert into tds.tax_profile (distributor_id, pan, pan_operative, updated_by) values ($1, $2, coalesce($3, false), $4)
                on conflict (distributor_id) do update
                   set pan = excluded.pan,
                       pan_operative = coalesce($3, tax_profile.pan_operative and tax_profile.pan = excluded.pan),
                       updated_by = excluded.updated_by, updated_at = now()""")
                .execute(Tuple.of(distributorId, pan, operative, actor)).replaceWithVoid();
    }

    /** Makes the PAN on file operative, only if it is the PAN confirmed; whether it was. */
    public Uni<Boolean> confirmPan(SqlClient client, long distributorId, String pan, String actor) {
        return client.preparedQuery("""
                update tds.tax_profile set pan_operative = true, updated_by = $3, updated_at = now()
                 where distributor_id = $1 and pan = $2""")
                .execute(Tuple.of(distributorId, pan, actor)).map(rows -> rows.rowCount() == 1);
    }

    /** The quarter's deductions, optionally of one deductee, in deductee then date order. */
    public Uni<List<ReturnRow>> deductions(SqlClient client, int year, int quarter, Long distributorId) {
        return client.preparedQuery("""
                select t.pan, d.full_name, d.member_code, t.section, t.credited_on, t.deducted_on, t.gross, t.rate_percent, t.tax, t.catch_up
                  from tds.tds_deduction t join genealogy.distributor d on d.id = t.distributor_id
                 where t.financial_year = $1 and t.quarter = $2 and ($3::bigint is null or t.distributor_id = $3)
                 order by d.member_code, t.deducted_on, t.id""")
                .execute(Tuple.of(year, quarter, distributorId)).map(rows -> {
                    List<ReturnRow> result = new ArrayList<>();
                    for (Row r : rows) {
                        result.add(new ReturnRow(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getLocalDate(4),
                                r.getLocalDate(5), r.getLong(6), r.getBigDecimal(7), r.getLong(8), r.getBoolean(9)));
                    }
                    return result;
                });
    }

    private static Long real(Map<Long, Long> realIds, long id) {
        return id < 0 ? realIds.get(id) : id;
    }
}
