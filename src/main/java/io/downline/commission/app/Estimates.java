package io.downline.commission.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.downline.commission.api.CloseModels.EstimateLineView;
import io.downline.commission.api.CloseModels.EstimateView;
import io.downline.commission.engine.CloseResult;
import io.downline.commission.engine.CommissionLine;
import io.downline.commission.engine.CompPlan;
import io.downline.commission.engine.PeriodCloseEngine;
import io.downline.commission.store.PeriodStore;
import io.downline.commission.store.PeriodStore.StoredPeriod;
import io.downline.commission.store.PlanStore;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.genealogy.api.NetworkReads.MemberRef;
import io.downline.tds.api.CommissionCredits;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * "Estimated this period": the close's own engine run over the open period as it stands (the same snapshot a close
 * would load), kept per period as a projection for {@code downline.commission.estimate.max-age} so that a request costs
 * a lookup of the member's lines rather than a whole close. Concurrent requests share one computation.
 */
@ApplicationScoped
public class Estimates {

    private static final Logger LOG = Logger.getLogger(Estimates.class);

    /** The open period closed in memory, as of {@code asOf}. */
    record Projection(int planVersion, CompPlan plan, Instant asOf, CloseSnapshot snapshot, CloseResult result, Map<Long, Integer> positions) {
    }

    private record Cached(Instant at, Uni<Projection> projection) {
    }

    private final Pool pool;
    private final PeriodStore periods;
    private final CommissionPlans plans;
    private final PlanStore planVersions;
    private final SnapshotLoader loader;
    private final CommissionCredits credits;
    private final CurrentPeriod current;
    private final Duration maxAge;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public Estimates(Pool pool, PeriodStore periods, CommissionPlans plans, PlanStore planVersions, SnapshotLoader loader, CommissionCredits credits,
            CurrentPeriod current, @ConfigProperty(name = "downline.commission.estimate.max-age") Duration maxAge) {
        this.pool = pool;
        this.periods = periods;
        this.plans = plans;
        this.planVersions = planVersions;
        this.loader = loader;
        this.credits = credits;
        this.current = current;
        this.maxAge = maxAge;
    }

    public Uni<EstimateView> estimate(MemberRef member, String period) {
        return current.orGiven(period).chain(name -> periods.get(pool, name).chain(stored -> stored != null
                ? Uni.createFrom().item(stored)
                : notYetOpened(name)).chain(stored -> {
            if (!stored.open()) {
                throw new ProblemException(ProblemType.CONFLICT, "Period " + name + " is " + stored.status()
                        + ": its bonuses are in the earnings, not estimated.");
            }
            return projection(stored).chain(p -> credits.currency(pool).map(currency -> view(name, member, p, currency)));
        }));
    }

    /** A period no event has reached yet is open under the plan in force at its start (without a plan: 404). */
    private Uni<StoredPeriod> notYetOpened(String name) {
        Periods.Bounds bounds = Periods.of(name);
        return planVersions.inForceAt(pool, bounds.start()).map(plan -> {
            if (plan == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No plan version is in force in period " + name + ".");
            }
            return new StoredPeriod(name, bounds.start(), bounds.end(), plan.version(), "OPEN", null, null, null);
        });
    }

    private Uni<Projection> projection(StoredPeriod period) {
        Instant now = Instant.now();
        Cached cached = cache.compute(period.period(), (key, old) -> old != null && Duration.between(old.at(), now).compareTo(maxAge) < 0
                ? old
                : new Cached(now, compute(period).memoize().indefinitely()));
        return cached.projection().onFailure().invoke(() -> cache.remove(period.period(), cached));
    }

    private Uni<Projection> compute(StoredPeriod period) {
        return pool.withTransaction(conn -> plans.load(conn, period.planVersion())
                .chain(loaded -> loader.load(conn, period, loaded.plan())
                        .emitOn(Infrastructure.getDefaultWorkerPool())
                        .map(snapshot -> {
                            long started = System.nanoTime();
                            CloseResult result = PeriodCloseEngine.close(loaded.plan(), snapshot.snapshot());
                            LOG.debugf("estimate of %s: %d members in %d ms", period.period(), snapshot.snapshot().size(),
                                    (System.nanoTime() - started) / 1_000_000);
                            return new Projection(loaded.version(), loaded.plan(), Instant.now(), snapshot, result, snapshot.positions());
                        })));
    }

    static EstimateView view(String period, MemberRef member, Projection p, String currency) {
        Integer at = p.positions().get(member.id());
        List<EstimateLineView> lines = new ArrayList<>();
        long total = 0;
        String paidAs = null;
        long carryLeft = 0;
        long carryRight = 0;
        if (at != null) {
            for (CommissionLine line : p.result().lines()) {
                if (line.memberId() != member.id()) {
                    continue;
                }
                Long source = line.trace().sourceMemberId();
                lines.add(new EstimateLineView(CloseLines.rule(line.rule()), PeriodClose.money(line.amountMinor(), currency),
                        PeriodClose.money(line.uncappedMinor(), currency), line.trace().level(), line.trace().units(),
                        source == null ? null : p.snapshot().codes()[p.positions().get(source)]));
                total += line.amountMinor();
            }
            int rank = p.result().paidAsRank()[at];
            paidAs = rank < 0 ? null : p.plan().ranks().get(rank).code();
            carryLeft = p.snapshot().snapshot().carryLeft()[at];
            carryRight = p.snapshot().snapshot().carryRight()[at];
        }
        return new EstimateView(period, member.memberCode(), p.planVersion(), p.asOf(), PeriodClose.money(total, currency), lines, paidAs,
                carryLeft, carryRight);
    }
}
