package io.downline.commission.app;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.downline.commission.api.CloseModels.MemberDeltaView;
import io.downline.commission.api.CloseModels.StatisticsView;
import io.downline.commission.api.CloseModels.WhatIfView;
import io.downline.commission.engine.CloseResult;
import io.downline.commission.engine.CompPlan;
import io.downline.commission.engine.MemberDelta;
import io.downline.commission.engine.PayoutStatistics;
import io.downline.commission.engine.PeriodCloseEngine;
import io.downline.commission.engine.WhatIf;
import io.downline.commission.engine.WhatIfReport;
import io.downline.commission.store.CloseStore;
import io.downline.commission.store.PeriodStore;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.tds.api.CommissionCredits;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The what-if simulator: a draft plan (validated like an upload, never stored) closed over a closed period's stored
 * snapshot by the same {@link PeriodCloseEngine#close} the close ran, compared with the paying plan over the same
 * snapshot. Nothing is written.
 */
@ApplicationScoped
public class WhatIfSimulator {

    private final Pool pool;
    private final PeriodStore periods;
    private final CloseStore store;
    private final CommissionPlans plans;
    private final CommissionCredits credits;

    public WhatIfSimulator(Pool pool, PeriodStore periods, CloseStore store, CommissionPlans plans, CommissionCredits credits) {
        this.pool = pool;
        this.periods = periods;
        this.store = store;
        this.plans = plans;
        this.credits = credits;
    }

    public Uni<WhatIfView> replay(String period, JsonNode document, int top) {
        Periods.of(period);
        CompPlan draft = plans.validate(document);
        return periods.get(pool, period).chain(stored -> {
            if (stored == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "Period " + period + " has not begun for commissions.");
            }
            if (!"CLOSED".equals(stored.status())) {
                throw new ProblemException(ProblemType.CONFLICT, "Period " + period + " is " + stored.status()
                        + "; only a closed period can be replayed.");
            }
            return plans.load(pool, stored.planVersion()).chain(paying -> {
                if (!paying.plan().currency().equals(draft.currency())) {
                    throw ProblemException.invalidField("currency", "must be " + paying.plan().currency() + ", the currency the period was paid in");
                }
                return credits.currency(pool)
                    .chain(currency -> store.snapshot(pool, period).chain(data -> store.periodBonuses(pool, period)
                            .emitOn(Infrastructure.getDefaultWorkerPool())
                            .map(paid -> compare(period, paying, draft, CloseSnapshot.decode(data), paid, top, currency))));
            });
        });
    }

    static WhatIfView compare(String period, CommissionPlans.LoadedPlan paying, CompPlan draft, CloseSnapshot stored, Map<Long, Long> paid,
            int top, String currency) {
        long started = System.nanoTime();
        CloseResult actual = PeriodCloseEngine.close(paying.plan(), stored.snapshot());
        WhatIfReport report = WhatIf.replay(draft, stored.snapshot(), actual, top);
        long millis = (System.nanoTime() - started) / 1_000_000;
        Map<Long, Integer> positions = stored.positions();
        String[] codes = stored.codes();
        long paidAtClose = paid.values().stream().mapToLong(Long::longValue).sum();
        return new WhatIfView(period, paying.version(), PeriodClose.money(paidAtClose, currency), statistics(report.actual(), currency),
                statistics(report.draft(), currency), PeriodClose.money(report.totalDeltaMinor(), currency),
                deltas(report.gainers(), positions, codes, currency), deltas(report.losers(), positions, codes, currency), millis);
    }

    private static StatisticsView statistics(PayoutStatistics s, String currency) {
        return new StatisticsView(s.members(), s.earners(), PeriodClose.money(s.totalPaidMinor(), currency),
                PeriodClose.money(s.companyBv(), currency), s.payoutPercentOfBv().toPlainString(), PeriodClose.money(s.p50Minor(), currency),
                PeriodClose.money(s.p90Minor(), currency), PeriodClose.money(s.p99Minor(), currency), PeriodClose.money(s.maxMinor(), currency),
                s.gini().toPlainString());
    }

    private static List<MemberDeltaView> deltas(List<MemberDelta> deltas, Map<Long, Integer> positions, String[] codes, String currency) {
        return deltas.stream().map(d -> new MemberDeltaView(codes[positions.get(d.memberId())], PeriodClose.money(d.actualMinor(), currency),
                PeriodClose.money(d.draftMinor(), currency), PeriodClose.money(d.deltaMinor(), currency))).toList();
    }
}
