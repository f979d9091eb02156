package io.downline.commission.app;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.genealogy.api.NetworkPlans;
import io.downline.tds.api.CommissionCredits;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** The volume period in progress (by the genealogy plan's period type) and the commission currency. */
@ApplicationScoped
public class CurrentPeriod {

    private final NetworkPlans genealogyPlan;
    private final CommissionCredits credits;
    private final Pool pool;

    public CurrentPeriod(NetworkPlans genealogyPlan, CommissionCredits credits, Pool pool) {
        this.genealogyPlan = genealogyPlan;
        this.credits = credits;
        this.pool = pool;
    }

    /** The given period when there is one (checked), else the current one. */
    public Uni<String> orGiven(String period) {
        if (period != null) {
            Periods.of(period);
            return Uni.createFrom().item(period);
        }
        return genealogyPlan.current().map(version -> version.plan().currentPeriod());
    }

    public Uni<String> currency() {
        return credits.currency(pool);
    }
}
