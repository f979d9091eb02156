package io.downline.commission.app;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.downline.commission.api.CloseModels.CloseView;
import io.downline.commission.api.CloseModels.PeriodView;
import io.downline.commission.engine.CloseResult;
import io.downline.commission.engine.CommissionLine;
import io.downline.commission.engine.CompPlan;
import io.downline.commission.engine.PeriodCloseEngine;
import io.downline.commission.store.CloseStore;
import io.downline.commission.store.CloseStore.PendingLine;
import io.downline.commission.store.CloseStore.RankRow;
import io.downline.commission.store.CloseStore.StagedLine;
import io.downline.commission.store.LineStore;
import io.downline.commission.store.LineStore.NewLine;
import io.downline.commission.store.LineStore.StoredLine;
import io.downline.commission.store.PeriodStore;
import io.downline.commission.store.PeriodStore.StoredPeriod;
import io.downline.common.db.Transactions;
import io.downline.common.money.Money;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.genealogy.api.MemberRanks;
import io.downline.tds.api.CommissionCredits;
import io.downline.ledger.api.LedgerModels.CreditRequest;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.unchecked.Unchecked;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The period close, run by the service. A request moves an ended period OPEN -> CLOSING (from then on the instant
 * workers put late events into the next period) and starts the run in this instance:
 * <ol>
 * <li>compute, with every write in one transaction (on JDBC, for COPY) that holds the period from the start: the snapshot (placement tree in pre-order, the period's volumes, carry and ranks of
 * the last closed period), the engine's {@link PeriodCloseEngine#close}, outstanding clawbacks netted off the lines;
 * the lines are staged PENDING with their traces, together with the carry-forward, the ranks and the snapshot;</li>
 * <li>post, one transaction per batch: the next PENDING lines are credited through the ledger (each line's reference is
 * the credit's unique source reference) and marked PAID;</li>
 * <li>when none is pending, the period is CLOSED and the ranks it evaluated are pushed to genealogy, in one
 * transaction.</li>
 * </ol>
 * Every step holds the period row locked (SKIP LOCKED: an instance that finds it held leaves the work to the holder), so
 * one close of a period runs at a time across instances; the state is in the database, so a crash resumes where it
 * stopped (at start, or at the next request). Re-running a closed period changes nothing.
 */
@ApplicationScoped
public class PeriodClose {

    static final String ACTOR = "commission-close";
    static final String COMPUTING = "COMPUTING";
    static final String POSTING = "POSTING";
    static final String DONE = "DONE";

    private static final Logger LOG = Logger.getLogger(PeriodClose.class);

    private final Pool pool;
    private final PeriodStore periods;
    private final CloseStore store;
    private final LineStore lines;
    private final OpenPeriods open;
    private final CommissionPlans plans;
    private final SnapshotLoader loader;
    private final CommissionCredits credits;
    private final MemberRanks memberRanks;
    private final Clock clock;
    private final ZoneId companyZone;
    private final int batchSize;
    private final boolean resumeAtStart;
    /** Periods this instance is running a close of. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public PeriodClose(Pool pool, PeriodStore periods, CloseStore store, LineStore lines, OpenPeriods open, CommissionPlans plans,
            SnapshotLoader loader, CommissionCredits credits, MemberRanks memberRanks, Clock clock,
            @ConfigProperty(name = "downline.ledger.company-zone") ZoneId companyZone,
            @ConfigProperty(name = "downline.commission.close.batch-size") int batchSize,
            @ConfigProperty(name = "downline.commission.close.resume-at-start") boolean resumeAtStart) {
        this.pool = pool;
        this.periods = periods;
        this.store = store;
        this.lines = lines;
        this.open = open;
        this.plans = plans;
        this.loader = loader;
        this.credits = credits;
        this.memberRanks = memberRanks;
        this.clock = clock;
        this.companyZone = companyZone;
        this.batchSize = batchSize;
        this.resumeAtStart = resumeAtStart;
    }

    void resumeInterrupted(@Observes StartupEvent event) {
        if (!resumeAtStart) {
            return;
        }
        store.closing(pool).subscribe().with(found -> found.forEach(this::kick),
                failure -> LOG.warn("could not look for interrupted period closes", failure));
    }

    /**
     * Requests the close of an ended period: answers the period as it stands (CLOSED when it was closed before: nothing
     * is done again; else CLOSING, with the run started in this instance).
     */
    public Uni<PeriodView> request(String period, String actor) {
        return begin(period, actor).invoke(stored -> {
            if ("CLOSING".equals(stored.status())) {
                kick(period);
            }
        }).chain(this::view);
    }

    /**
     * Moves an ended period OPEN -> CLOSING (opening it first if no event has arrived in it); a period closing or closed
     * already is answered as it is. From the commit on, the instant workers put the period's late events into the next.
     */
    public Uni<StoredPeriod> begin(String period, String actor) {
        Periods.Bounds bounds = Periods.of(period);
        return Transactions.retrying(() -> pool.withTransaction(conn -> open.ensure(conn, period).chain(existing -> {
            if (existing == null) {
                throw new ProblemException(ProblemType.CONFLICT, "No plan version was in force at the start of " + period
                        + ", so it has nothing to close.");
            }
            // only an open period is locked here: a close under way must not find its period held by a mere request
            return existing.open() ? periods.lock(conn, period) : Uni.createFrom().item(existing);
        }).chain(stored -> {
            if (!stored.open()) {
                return Uni.createFrom().item(stored);
            }
            Instant now = clock.instant();
            if (now.isBefore(bounds.end())) {
                throw new ProblemException(ProblemType.CONFLICT, "Period " + period + " ends at " + bounds.end()
                        + "; it can be closed after that.");
            }
            String previous = Periods.previous(period);
            return periods.get(conn, previous).chain(before -> {
                if (before != null && !"CLOSED".equals(before.status())) {
                    throw new ProblemException(ProblemType.CONFLICT, "Period " + previous + " is not closed yet; periods close in order "
                            + "(each starts from the carry-forward of the one before).");
                }
                JsonObject state = new JsonObject().put("phase", COMPUTING).put("requestedBy", actor).put("requestedAt", now.toString());
                return store.update(conn, period, "CLOSING", state, null).chain(() -> periods.get(conn, period));
            });
        })));
    }

    public Uni<PeriodView> get(String period) {
        Periods.of(period);
        return periods.get(pool, period).chain(stored -> {
            if (stored == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "Period " + period + " has not begun for commissions.");
            }
            return view(stored);
        });
    }

    public Uni<Page<PeriodView>> list(PageRequest page) {
        List<String> after = page.after();
        String before = after == null ? null : after.get(0);
        if (before != null && !Periods.valid(before)) {
            throw PageRequest.invalidCursor();
        }
        return credits.currency(pool).chain(currency -> store.list(pool, before, page.limit + 1)
                .map(found -> page.page(found.stream().map(p -> view(p, currency)).toList(), v -> List.of(v.period()))));
    }

    /** Starts the run in this instance unless it runs one of the period already. */
    public void kick(String period) {
        if (!running.add(period)) {
            return;
        }
        run(period).subscribe().with(done -> running.remove(period), failure -> {
            running.remove(period);
            LOG.errorf(failure, "close of %s stopped; it resumes at the next request or start", period);
            recordError(period, failure);
        });
    }

    /** Computes (unless done before) and posts every batch. */
    public Uni<Void> run(String period) {
        return compute(period).chain(proceed -> proceed ? postAll(period) : Uni.createFrom().voidItem());
    }

    private Uni<Void> postAll(String period) {
        return postBatch(period, batchSize).chain(more -> more ? postAll(period) : Uni.createFrom().voidItem());
    }

    /**
     * Stages the period's lines unless that was done before. Answers whether posting may go on in this instance (false
     * when another transaction holds the period or it is not closing).
     * <p>
     * The writes run on a JDBC connection, for COPY, and that connection's transaction is the one that holds the period
     * row from the start: the reads (snapshot, clawbacks) are a reactive transaction begun after the lock, and every write
     * (lines, carry-forward, ranks, snapshot, settled clawbacks, the phase) commits in the locked transaction, together.
     */
    public Uni<Boolean> compute(String period) {
        return Transactions.retrying(() -> Uni.createFrom().item(Unchecked.supplier(() -> store.lockForCompute(period)))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(held -> held == null ? Uni.createFrom().item(false)
                        : computeHolding(held, period).eventually(() -> release(held))));
    }

    /** The reads, engine and netting of a compute, and whether the next period is open to carry clawbacks into. */
    record Computed(StoredPeriod period, String currency, Outcome outcome, boolean nextOpen) {
    }

    private Uni<Boolean> computeHolding(Connection held, String period) {
        // when each step ended: started, snapshot loaded, engine and netting done (the writes end at the state update)
        long[] at = new long[3];
        at[0] = System.nanoTime();
        return pool.withTransaction(conn -> periods.get(conn, period).chain(stored -> {
            if (stored == null || !"CLOSING".equals(stored.status()) || !COMPUTING.equals(stored.closeState().getString("phase"))) {
                return Uni.createFrom().item(new Computed(stored, null, null, false));
            }
            return computeIn(conn, stored, at);
        })).emitOn(Infrastructure.getDefaultWorkerPool()).map(Unchecked.function(computed -> {
            if (computed.outcome() == null) {
                return computed.period() != null && "CLOSING".equals(computed.period().status());
            }
            write(held, computed, at);
            return true;
        }));
    }

    private static Uni<Void> release(Connection held) {
        return Uni.createFrom().item(Unchecked.supplier(() -> {
            try (held) {
                // nothing to undo after a commit; after a failure this gives up the lock and every write
                held.rollback();
            }
            return null;
        })).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).replaceWithVoid();
    }

    private Uni<Computed> computeIn(SqlConnection conn, StoredPeriod period, long[] at) {
        return store.planForTheWholeNetwork(conn).chain(() -> plans.load(conn, period.planVersion())).chain(loaded -> credits.currency(conn)
                .chain(currency -> loader.load(conn, period, loaded.plan())
                        .chain(snapshot -> store.outstanding(conn, period.period())
                                .invoke(() -> at[1] = System.nanoTime())
                                .emitOn(Infrastructure.getDefaultWorkerPool())
                                .map(clawbacks -> outcome(period, loaded, snapshot, clawbacks))
                                .invoke(() -> at[2] = System.nanoTime())
                                // opening the next period is idempotent (any event would do it), so it need not wait for the writes
                                .chain(outcome -> outcome.carried().isEmpty()
                                        ? Uni.createFrom().item(new Computed(period, currency, outcome, false))
                                        : open.ensure(conn, Periods.next(period.period()))
                                                .map(next -> new Computed(period, currency, outcome, next != null))))));
    }

    /** The engine's close and what netting off the outstanding clawbacks does to it. */
    record Outcome(CommissionPlans.LoadedPlan plan, CloseSnapshot snapshot, CloseResult result, List<StagedLine> staged,
            List<StoredLine> recovered, List<StoredLine> carried, byte[] encodedSnapshot) {
    }

    static Outcome outcome(StoredPeriod period, CommissionPlans.LoadedPlan loaded, CloseSnapshot snapshot, List<StoredLine> clawbacks) {
        CompPlan plan = loaded.plan();
        CloseResult result = PeriodCloseEngine.close(plan, snapshot.snapshot());
        Map<Long, Integer> positions = snapshot.positions();
        long[] earned = result.payoutByMember();
        // clawbacks in the order they were written, each recovered whole while the member's earnings of this close cover it
        long[] withhold = new long[earned.length];
        List<StoredLine> recovered = new ArrayList<>();
        List<StoredLine> carried = new ArrayList<>();
        for (StoredLine clawback : clawbacks) {
            Integer at = positions.get(clawback.memberId());
            long owed = -clawback.amount();
            if (at != null && earned[at] - withhold[at] >= owed) {
                withhold[at] += owed;
                recovered.add(clawback);
            } else {
                carried.add(clawback);
            }
        }
        // what each line keeps back goes in line order, so it is worked out first, alone
        List<CommissionLine> lines = result.lines();
        int n = lines.size();
        int[] at = new int[n];
        long[] kept = new long[n];
        for (int k = 0; k < n; k++) {
            CommissionLine line = lines.get(k);
            at[k] = positions.get(line.memberId());
            kept[k] = Math.min(line.amountMinor(), withhold[at[k]]);
            withhold[at[k]] -= kept[k];
        }
        // then the lines and their traces, which depend on nothing but the close: on every core, each into its own slot
        CloseLines stored = new CloseLines(period.period(), loaded, snapshot, result, positions);
        StagedLine[] staged = new StagedLine[n];
        IntStream.range(0, n).parallel().forEach(k -> staged[k] = stored.staged(lines.get(k), at[k], kept[k]));
        // encoded here, on the worker thread, not on the event loop that runs the writes
        return new Outcome(loaded, snapshot, result, Arrays.asList(staged), recovered, carried, snapshot.encode());
    }

    /** Every write of the compute, in the JDBC transaction that holds the period, committed here. */
    private void write(Connection conn, Computed computed, long[] at) throws SQLException {
        StoredPeriod period = computed.period();
        Outcome outcome = computed.outcome();
        String currency = computed.currency();
        String name = period.period();
        CloseResult result = outcome.result();
        long[] ids = outcome.snapshot().snapshot().memberId();
        long[] steps = new long[4];
        store.stage(conn, name, currency, outcome.plan().version(), outcome.staged());
        steps[0] = System.nanoTime();
        store.saveCarry(conn, name, ids, result.carryLeft(), result.carryRight(), result.pairedBefore());
        steps[1] = System.nanoTime();
        store.saveRanks(conn, name, ranks(outcome.plan().plan(), result, ids));
        steps[2] = System.nanoTime();
        store.saveSnapshot(conn, name, ids.length, outcome.encodedSnapshot());
        steps[3] = System.nanoTime();
        store.settle(conn, outcome.recovered().stream().map(StoredLine::id).toArray(Long[]::new), "RECOVERED", name);
        long carriedSum = carryOn(conn, name, outcome.carried(), computed.nextOpen());
        long recoveredSum = -outcome.recovered().stream().mapToLong(StoredLine::amount).sum();
        JsonObject state = period.closeState().copy().put("phase", POSTING).put("currency", currency)
                .put("members", ids.length).put("lines", outcome.staged().size()).put("posted", 0).put("batches", 0)
                .put("companyBv", result.companyBv()).put("earned", result.cap().earnedMinor())
                .put("paid", result.cap().paidMinor())
                .put("payoutLimit", result.cap().limitMinor() == Long.MAX_VALUE ? null : result.cap().limitMinor())
                .put("capFactor", result.cap().factor().toPlainString())
                .put("instantPaid", outcome.snapshot().snapshot().instantPaidMinor())
                .put("clawbacksRecovered", recoveredSum).put("clawbacksCarried", carriedSum)
                .put("computedAt", Instant.now().toString()).put("computeMillis", millis(at[0], System.nanoTime()))
                .put("loadMillis", millis(at[0], at[1])).put("engineMillis", millis(at[1], at[2]))
                .put("writeMillis", millis(at[2], System.nanoTime()));
        state.remove("lastError");
        store.update(conn, name, "CLOSING", state);
        conn.commit();
        LOG.infof("close of %s computed: %d members, %d lines, %d minor units; %d ms (load %d, engine %d, writes %d: lines %d, "
                + "carry %d, ranks %d, snapshot %d)", name, ids.length, outcome.staged().size(), result.cap().paidMinor(),
                state.getLong("computeMillis"), state.getLong("loadMillis"), state.getLong("engineMillis"),
                state.getLong("writeMillis"), millis(at[2], steps[0]), millis(steps[0], steps[1]), millis(steps[1], steps[2]),
                millis(steps[2], steps[3]));
    }

    /**
     * The ranks a close evaluated, the single place they leave the engine: stored as rank history here, which the push to
     * genealogy at the end of the close reads.
     */
    static List<RankRow> ranks(CompPlan plan, CloseResult result, long[] ids) {
        int[] paidAs = result.paidAsRank();
        int[] highest = result.highestRank();
        List<RankRow> rows = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (paidAs[i] >= 0 || highest[i] >= 0) {
                rows.add(new RankRow(ids[i], paidAs[i] < 0 ? null : plan.ranks().get(paidAs[i]).code(),
                        highest[i] < 0 ? null : plan.ranks().get(highest[i]).code()));
            }
        }
        return rows;
    }

    /**
     * Clawbacks the close could not recover become outstanding in the next period, exactly; answers what they owe. With no
     * plan in force next period (not open), they stay outstanding here until one is.
     */
    private long carryOn(Connection conn, String period, List<StoredLine> carried, boolean nextOpen) throws SQLException {
        if (carried.isEmpty() || !nextOpen) {
            return 0L;
        }
        String next = Periods.next(period);
        List<NewLine> copies = new ArrayList<>();
        for (StoredLine c : carried) {
            JsonObject trace = c.trace().copy().put("carriedFrom", c.id()).put("carriedFromPeriod", period);
            copies.add(new NewLine("carried:" + c.id(), next, c.memberId(), c.memberCode(), "CLAWBACK", c.level(), c.rate(), c.base(),
                    c.amount(), c.currency(), c.planVersion(), c.sourceEvent(), c.sourceOrder(), c.sourceMember(), c.reversesLine(),
                    trace, "OUTSTANDING"));
        }
        lines.insert(conn, copies);
        store.settle(conn, carried.stream().map(StoredLine::id).toArray(Long[]::new), "CARRIED", period);
        return -carried.stream().mapToLong(StoredLine::amount).sum();
    }

    /**
     * Credits the next {@code limit} staged lines in one transaction and marks them paid; closes the period when none is
     * left. Answers whether more may be pending.
     */
    public Uni<Boolean> postBatch(String period, int limit) {
        return Transactions.retrying(() -> pool.withTransaction(conn -> store.lockOrSkip(conn, period).chain(stored -> {
            if (stored == null || !"CLOSING".equals(stored.status()) || !POSTING.equals(stored.closeState().getString("phase"))) {
                return Uni.createFrom().item(false);
            }
            return store.pending(conn, period, limit).chain(batch -> batch.isEmpty()
                    ? finish(conn, stored).replaceWith(false)
                    : post(conn, stored, batch).replaceWith(true));
        })), CommissionCredits::isReferenceRace);
    }

    private Uni<Void> post(SqlConnection conn, StoredPeriod period, List<PendingLine> batch) {
        JsonObject state = period.closeState();
        String currency = state.getString("currency");
        LocalDate today = LocalDate.now(companyZone);
        List<CreditRequest> requests = new ArrayList<>();
        List<Long> credited = new ArrayList<>();
        List<Long> nothingToCredit = new ArrayList<>();
        for (PendingLine line : batch) {
            long credit = line.amount() - line.withheld();
            if (credit > 0) {
                requests.add(new CreditRequest(line.reference(), line.memberCode(), Money.of(BigDecimal.valueOf(credit, 2), currency), today));
                credited.add(line.id());
            } else {
                nothingToCredit.add(line.id());
            }
        }
        Uni<Long> posted = requests.isEmpty() ? Uni.createFrom().nullItem()
                : credits.post(conn, requests, ACTOR).map(view -> view.transactionId());
        return posted.chain(txn -> store.markPaid(conn, credited.toArray(Long[]::new), txn))
                .chain(() -> store.markPaid(conn, nothingToCredit.toArray(Long[]::new), null))
                .chain(() -> lines.announce(conn, batch.stream().mapToLong(PendingLine::memberId).distinct().toArray()))
                .chain(() -> store.update(conn, period.period(), "CLOSING", state.copy()
                        .put("posted", state.getInteger("posted") + batch.size()).put("batches", state.getInteger("batches") + 1), null));
    }

    /**
     * Locks the period and pushes the ranks it evaluated to genealogy, in one transaction: the push happens exactly when
     * the period becomes CLOSED (a crash before the commit undoes both and the resumed close pushes again; after it the
     * period is closed and nothing pushes twice). The network's rank is the highest rank achieved, which never goes
     * down; the period's paid-as rank stays in the rank history.
     */
    private Uni<Void> finish(SqlConnection conn, StoredPeriod period) {
        String name = period.period();
        return store.highestRanksAt(conn, name)
                .chain(highest -> memberRanks.change(conn, highest, "close " + name))
                .chain(changes -> {
                    JsonObject state = period.closeState().copy().put("phase", DONE).put("finishedAt", Instant.now().toString())
                            .put("ranksChanged", changes.size());
                    LOG.infof("close of %s done: %d lines in %d batches, %d ranks changed", name, state.getInteger("posted"),
                            state.getInteger("batches"), changes.size());
                    return store.update(conn, name, "CLOSED", state, state.getString("requestedBy"));
                });
    }

    private void recordError(String period, Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        pool.withTransaction(conn -> store.lockOrSkip(conn, period).chain(stored -> stored == null || !"CLOSING".equals(stored.status())
                ? Uni.createFrom().voidItem()
                : store.update(conn, period, "CLOSING", stored.closeState().copy().put("lastError", message), null)))
                .subscribe().with(ok -> { }, e -> LOG.warn("could not record the close's failure", e));
    }

    private Uni<PeriodView> view(StoredPeriod stored) {
        return credits.currency(pool).map(currency -> view(stored, currency));
    }

    static PeriodView view(StoredPeriod p, String currency) {
        return new PeriodView(p.period(), p.status(), p.startsAt(), p.endsAt(), p.planVersion(), close(p.closeState(), currency),
                p.closedAt(), p.closedBy());
    }

    private static CloseView close(JsonObject s, String currency) {
        if (s == null) {
            return null;
        }
        String c = s.getString("currency", currency);
        return new CloseView(s.getString("phase"), s.getString("requestedBy"), instant(s.getString("requestedAt")), s.getInteger("members"),
                s.getInteger("lines"), s.getInteger("posted"), s.getInteger("batches"), money(s.getLong("companyBv"), c),
                money(s.getLong("earned"), c), money(s.getLong("paid"), c), money(s.getLong("payoutLimit"), c), s.getString("capFactor"),
                money(s.getLong("instantPaid"), c), money(s.getLong("clawbacksRecovered"), c), money(s.getLong("clawbacksCarried"), c),
                instant(s.getString("computedAt")), s.getLong("computeMillis"), s.getInteger("ranksChanged"), s.getString("lastError"));
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }

    static Money money(Long minor, String currency) {
        return minor == null ? null : Money.of(BigDecimal.valueOf(minor, 2), currency);
    }
}
