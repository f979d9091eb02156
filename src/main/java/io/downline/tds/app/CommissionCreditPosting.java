package io.downline.tds.app;

import io.downline.tds.api.CommissionCredits;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.common.db.Transactions;
import io.downline.common.problem.Problem;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.ledger.api.LedgerModels.CreditBatchRequest;
import io.downline.ledger.api.LedgerModels.CreditBatchView;
import io.downline.ledger.api.LedgerModels.CreditRequest;
import io.downline.tds.store.TdsRepository.YearRow;
import io.downline.tax.api.FinancialYear;
import io.downline.tds.app.TdsCalculator;
import io.downline.tds.api.TdsRules;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;
import io.downline.ledger.api.LedgerErrors;
import io.downline.common.money.MinorUnits;
import io.downline.ledger.api.Postings;
import io.vertx.mutiny.sqlclient.Pool;
import io.downline.tds.store.TdsRepository;

/**
 * The batch-credit service of the commission engine: thousands of credits in one transaction, written with set-based
 * statements (one ledger transaction whose legs are all the credits, one INSERT for the credits, one for the TDS lines).
 * A credit whose source reference was posted before is skipped, so a re-sent batch posts only what is new.
 */
@ApplicationScoped
public class CommissionCreditPosting implements CommissionCredits {

    static final String COMMISSION_EXPENSE = "COMMISSION_EXPENSE";
    static final String TDS_PAYABLE = "TDS_PAYABLE";
    /** TDS due on earlier credits that the deductee's later credits have not yet covered. */
    static final String TDS_RECOVERABLE = "TDS_RECOVERABLE";
    private static final String TDS_CURRENCY = "INR";

    private final Postings ledger;
    private final Pool pool;
    private final TdsRepository tds;
    private static final TdsRules RULES = TdsRules.india();
    /** The first day the dated TDS tables cover (FY 2021-22). */
    private static final LocalDate EARLIEST_CREDIT = LocalDate.of(2021, 4, 1);

    private final TdsCalculator calculator = new TdsCalculator(RULES);

    public CommissionCreditPosting(Postings ledger, Pool pool, TdsRepository tds) {
        this.pool = pool;
        this.ledger = ledger;
        this.tds = tds;
    }

    @Override
    public Uni<CreditBatchView> post(CreditBatchRequest request, String actor) {
        List<CreditRequest> credits = request.credits();
        validate(credits);
        // a concurrent batch that posted the same source reference first: run again, and it is skipped
        return Transactions.<CreditBatchView>retrying(() -> pool.withTransaction(conn -> postIn(conn, credits, actor)),
                        CommissionCredits::isReferenceRace)
                .onFailure().transform(LedgerErrors::translate);
    }

    /**
     * Posts the credits in the caller's transaction, so that the caller's own effects (e.g. events marked done) commit
     * or roll back together with the money. The caller retries its whole transaction after a transient failure or a
     * {@link #isReferenceRace reference race}; other failures come back as problems.
     */
    @Override
    public Uni<CreditBatchView> post(SqlConnection conn, List<CreditRequest> credits, String actor) {
        validate(credits);
        return postIn(conn, credits, actor).onFailure(failure -> !CommissionCredits.isReferenceRace(failure) && !Transactions.isTransient(failure))
                .transform(LedgerErrors::translate);
    }

    /** The currency commissions are credited in (the ledger's). */
    @Override
    public Uni<String> currency(SqlClient conn) {
        return ledger.currency(conn);
    }

    private static void validate(List<CreditRequest> credits) {
        Set<String> references = new HashSet<>();
        LocalDate latest = LocalDate.now().plusYears(1);
        for (int i = 0; i < credits.size(); i++) {
            if (!references.add(credits.get(i).sourceReference())) {
                throw ProblemException.invalidField("credits[" + i + "].sourceReference", "appears twice in this batch");
            }
            LocalDate creditedOn = credits.get(i).creditedOn();
            if (creditedOn.isBefore(EARLIEST_CREDIT) || creditedOn.isAfter(latest)) {
                throw ProblemException.invalidField("credits[" + i + "].creditedOn", "must be between " + EARLIEST_CREDIT + " and " + latest);
            }
        }
    }

    private Uni<CreditBatchView> postIn(SqlConnection conn, List<CreditRequest> requested, String actor) {
        return ledger.currency(conn).chain(currency -> {
            long[] amounts = new long[requested.size()];
            for (int i = 0; i < requested.size(); i++) {
                amounts[i] = MinorUnits.positive(requested.get(i).amount(), currency, "credits[" + i + "].amount");
            }
            String[] refs = requested.stream().map(CreditRequest::sourceReference).toArray(String[]::new);
            String[] codes = requested.stream().map(c -> c.memberCode().trim().toUpperCase(Locale.ROOT)).toArray(String[]::new);
            return tds.postedReferences(conn, refs).chain(posted -> tds.distributorIds(conn, codes).chain(ids -> {
                List<Problem.FieldError> unknown = new ArrayList<>();
                List<NewCredit> fresh = new ArrayList<>();
                for (int i = 0; i < requested.size(); i++) {
                    Long distributor = ids.get(codes[i]);
                    if (distributor == null) {
                        unknown.add(new Problem.FieldError("credits[" + i + "].memberCode", "no such member"));
                    } else if (!posted.contains(refs[i])) {
                        fresh.add(new NewCredit(-(fresh.size() + 1L), refs[i], distributor, amounts[i], requested.get(i).creditedOn()));
                    }
                }
                if (!unknown.isEmpty()) {
                    throw new ProblemException(io.downline.common.problem.ProblemMappers.validationProblem(unknown), null);
                }
                if (fresh.isEmpty()) {
                    return Uni.createFrom().item(new CreditBatchView(requested.size(), 0, requested.size(), null,
                            MinorUnits.money(0, currency), MinorUnits.money(0, currency), 0));
                }
                return post(conn, fresh, currency, actor).map(result -> new CreditBatchView(requested.size(), fresh.size(),
                        requested.size() - fresh.size(), result.txnId(), MinorUnits.money(result.gross(), currency),
                        MinorUnits.money(result.recovered(), currency), result.lines()));
            }));
        });
    }

    private Uni<Result> post(SqlConnection conn, List<NewCredit> fresh, String currency, String actor) {
        // in id order, like every lock: two batches opening the same new wallets never wait on each other in a circle
        long[] distributors = fresh.stream().mapToLong(NewCredit::distributorId).distinct().sorted().toArray();
        return ledger.wallets(conn, distributors, currency).chain(wallets -> Uni.combine().all().unis(
                ledger.companyAccount(conn, COMMISSION_EXPENSE, currency),
                ledger.companyAccount(conn, TDS_PAYABLE, currency),
                ledger.companyAccount(conn, TDS_RECOVERABLE, currency)).asTuple()
                .chain(company -> taxes(conn, fresh, currency).chain(taxes -> {
                    List<Long> accounts = new ArrayList<>();
                    List<Long> amounts = new ArrayList<>();
                    long gross = 0;
                    long recovered = 0;
                    for (NewCredit credit : fresh) {
                        long wallet = wallets.get(credit.distributorId());
                        accounts.add(wallet);
                        amounts.add(credit.gross());
                        gross += credit.gross();
                        long taken = taxes.recovered().getOrDefault(credit.id(), 0L);
                        if (taken > 0) {
                            accounts.add(wallet);
                            amounts.add(-taken);
                            recovered += taken;
                        }
                    }
                    long taxDue = taxes.lines().stream().mapToLong(TdsRepository.Line::tax).sum();
                    accounts.add(company.getItem1());
                    amounts.add(-gross);
                    if (taxDue > 0) {
                        accounts.add(company.getItem2());
                        amounts.add(taxDue);
                    }
                    if (recovered != taxDue) {
                        accounts.add(company.getItem3());
                        amounts.add(recovered - taxDue);
                    }
                    long batchGross = gross;
                    long batchRecovered = recovered;
                    return ledger.post(conn, "COMMISSION", new JsonObject().put("note", "Commission credits").put("credits", fresh.size()), actor,
                            accounts.stream().mapToLong(Long::longValue).toArray(), amounts.stream().mapToLong(Long::longValue).toArray())
                            .chain(txnId -> tds.insertCredits(conn, fresh, currency, taxes.recovered(), txnId)
                                    .chain(realIds -> tds.recordTaxes(conn, taxes, realIds, txnId))
                                    .map(lines -> new Result(txnId, batchGross, batchRecovered, lines)));
                })));
    }

    /** TDS for the new INR credits, per deductee and financial year, from their locked year state. */
    private Uni<Taxes> taxes(SqlConnection conn, List<NewCredit> fresh, String currency) {
        if (!TDS_CURRENCY.equals(currency)) {
            return Uni.createFrom().item(new Taxes(List.of(), Map.of(), List.of()));
        }
        Map<YearKey, List<NewCredit>> byYear = new LinkedHashMap<>();
        for (NewCredit credit : fresh) {
            byYear.computeIfAbsent(new YearKey(credit.distributorId(), FinancialYear.of(credit.creditedOn()).startYear()),
                    k -> new ArrayList<>()).add(credit);
        }
        long[] deductees = byYear.keySet().stream().mapToLong(YearKey::distributorId).toArray();
        int[] years = byYear.keySet().stream().mapToInt(YearKey::year).toArray();
        return tds.lockYears(conn, deductees, years).chain(states -> crossing(conn, byYear, states)).chain(states -> tds.profiles(conn, deductees).map(profiles -> {
            List<TdsRepository.Line> lines = new ArrayList<>();
            Map<Long, Long> recovered = new HashMap<>();
            List<YearRow> after = new ArrayList<>();
            for (Map.Entry<YearKey, List<NewCredit>> group : byYear.entrySet()) {
                YearKey key = group.getKey();
                YearRow row = states.get(key.distributorId() + ":" + key.year());
                TdsRepository.Profile profile = profiles.get(key.distributorId());
                boolean panOperative = profile != null && profile.operative();
                TdsCalculator.Outcome outcome = calculator.apply(row.state(), panOperative,
                        group.getValue().stream().map(c -> new TdsCalculator.Credit(c.id(), c.creditedOn(), rupees(c.gross()))).toList());
                for (TdsCalculator.TaxLine line : outcome.lines()) {
                    lines.add(new TdsRepository.Line(key.distributorId(), profile == null ? null : profile.pan(), line.section(),
                            key.year(), line.quarter(), line.taxedCreditId(), line.withCreditId(), line.creditedOn(),
                            deductedOn(group.getValue(), line.withCreditId()), paise(line.gross()), line.ratePercent(), paise(line.tax()),
                            line.catchUp()));
                }
                outcome.recovered().forEach((credit, amount) -> recovered.merge(credit, paise(amount), Long::sum));
                after.add(new YearRow(key.distributorId(), key.year(), outcome.after()));
            }
            return new Taxes(lines, recovered, after);
        }));
    }

    /** Adds the untaxed credits to the states of the deductee-years whose threshold this batch crosses. */
    private Uni<Map<String, YearRow>> crossing(SqlConnection conn, Map<YearKey, List<NewCredit>> byYear, Map<String, YearRow> states) {
        List<YearKey> crossing = new ArrayList<>();
        for (Map.Entry<YearKey, List<NewCredit>> group : byYear.entrySet()) {
            YearKey key = group.getKey();
            TdsCalculator.YearState state = states.get(key.distributorId() + ":" + key.year()).state();
            BigDecimal total = state.creditedGross().add(rupees(group.getValue().stream().mapToLong(NewCredit::gross).sum()));
            if (!state.thresholdCrossed() && total.compareTo(RULES.thresholdFor(state.year())) > 0) {
                crossing.add(key);
            }
        }
        return tds.untaxed(conn, crossing.stream().mapToLong(YearKey::distributorId).toArray(), crossing.stream().mapToInt(YearKey::year).toArray())
                .map(untaxed -> {
                    Map<String, YearRow> withUntaxed = new HashMap<>(states);
                    untaxed.forEach((key, credits) -> {
                        YearRow row = states.get(key);
                        TdsCalculator.YearState s = row.state();
                        withUntaxed.put(key, new YearRow(row.distributorId(), row.year(), new TdsCalculator.YearState(s.year(),
                                s.creditedGross(), s.thresholdCrossed(), s.outstandingTax(), credits)));
                    });
                    return withUntaxed;
                });
    }

    private static LocalDate deductedOn(List<NewCredit> credits, long creditId) {
        return credits.stream().filter(c -> c.id() == creditId).findFirst().orElseThrow().creditedOn();
    }

    public static BigDecimal rupees(long paise) {
        return BigDecimal.valueOf(paise, 2);
    }

    public static long paise(BigDecimal rupees) {
        return rupees.movePointRight(2).longValueExact();
    }

    /** A credit not yet in the database; its id is negative until the INSERT returns the real one. */
    public record NewCredit(long id, String sourceReference, long distributorId, long gross, LocalDate creditedOn) {
    }

    record YearKey(long distributorId, int year) {
    }

    public record Taxes(List<TdsRepository.Line> lines, Map<Long, Long> recovered, List<YearRow> yearsAfter) {
    }

    private record Result(long txnId, long gross, long recovered, int lines) {
    }
}
