package io.downline.commission.app;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.commission.store.PeriodStore;
import io.downline.commission.store.PeriodStore.StoredPeriod;
import io.downline.commission.store.PlanStore;
import io.downline.tds.api.CommissionCredits;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The commission period an event belongs to: the volume period of the same name, opened with the plan version in force
 * at its start the first time an event arrives in it. An event whose period has closed already goes to the next one.
 */
@ApplicationScoped
public class OpenPeriods {

    /** A period open for new lines, the volume period the event counted in, and the plan and currency it pays by. */
    public record ActivePeriod(String name, String volumePeriod, CommissionPlans.LoadedPlan plan, String currency) {
    }

    private final PeriodStore periods;
    private final PlanStore plans;
    private final CommissionPlans loader;
    private final CommissionCredits credits;

    public OpenPeriods(PeriodStore periods, PlanStore plans, CommissionPlans loader, CommissionCredits credits) {
        this.periods = periods;
        this.plans = plans;
        this.loader = loader;
        this.credits = credits;
    }

    /** The open period for an event of this volume period, or null when no plan was in force at its start. */
    public Uni<ActivePeriod> forEvent(SqlConnection conn, String volumePeriod) {
        return open(conn, volumePeriod, volumePeriod, 0);
    }

    private Uni<ActivePeriod> open(SqlConnection conn, String volumePeriod, String period, int skipped) {
        return ensure(conn, period).chain(stored -> {
            if (stored == null) {
                return Uni.createFrom().nullItem();
            }
            if (!stored.open()) {
                if (skipped > 520) {
                    throw new IllegalStateException("no open commission period after " + volumePeriod);
                }
                return open(conn, volumePeriod, Periods.next(period), skipped + 1);
            }
            return loader.load(conn, stored.planVersion())
                    .chain(plan -> credits.currency(conn).map(currency -> new ActivePeriod(stored.period(), volumePeriod, plan, currency)));
        });
    }

    /** The period as stored, opening it with the plan in force at its start; null when there was none. */
    public Uni<StoredPeriod> ensure(SqlConnection conn, String period) {
        return periods.get(conn, period).chain(stored -> {
            if (stored != null) {
                return Uni.createFrom().item(stored);
            }
            Periods.Bounds bounds = Periods.of(period);
            return plans.inForceAt(conn, bounds.start()).chain(plan -> plan == null
                    ? Uni.createFrom().nullItem()
                    : periods.open(conn, period, bounds.start(), bounds.end(), plan.version()));
        });
    }
}
