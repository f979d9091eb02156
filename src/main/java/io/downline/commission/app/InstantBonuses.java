package io.downline.commission.app;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.commission.app.PlanRules.InstantPlan;
import io.downline.genealogy.NetworkReads.MemberStanding;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The instant bonuses of a paid order: the sponsor bonus on a recruit's first order, and level commissions up the
 * sponsor line with compression (unqualified uplines are skipped and their level rolls up to the next qualified one;
 * the genealogy is never changed). Amounts are the rate times the order's BV, rounded half-up to the minor unit.
 * This is the live side's adapter until the engine core's own instant calculation is merged (see the report).
 */
@ApplicationScoped
public class InstantBonuses {

    /** A paid order as the instant rules see it: BV in minor units; first = the buyer's first paid order. */
    public record Sale(UUID orderId, long buyerId, String buyerCode, long bv, boolean first) {
    }

    /** One commission the sale earns an upline member, with the rule's trace (e.g. members compression skipped). */
    public record Award(long memberId, String memberCode, String rule, Integer level, BigDecimal rate, long amount, JsonObject trace) {
    }

    /** The awards of the sale; {@code upline} is the buyer's sponsor line, nearest first, with each member's period volume. */
    public List<Award> awards(CommissionPlans.LoadedPlan plan, Sale sale, List<MemberStanding> upline) {
        InstantPlan rules = plan.instant();
        List<Award> awards = new ArrayList<>();
        if (sale.bv() <= 0 || upline.isEmpty()) {
            return awards;
        }
        MemberStanding sponsor = upline.get(0);
        if (sale.first() && rules.sponsorBonusRate().signum() > 0 && sponsor.active()) {
            add(awards, sponsor, "SPONSOR_BONUS", null, rules.sponsorBonusRate(), sale,
                    new JsonObject().put("firstOrder", true).put("sponsor", sponsor.memberCode()));
        }
        List<BigDecimal> rates = rules.levelRates();
        int level = 0;
        JsonArray skipped = new JsonArray();
        for (int i = 0; i < upline.size() && level < rates.size(); i++) {
            MemberStanding member = upline.get(i);
            boolean qualified = rules.qualified(member);
            if (!qualified && rules.compression()) {
                skipped.add(new JsonObject().put("member", member.memberCode()).put("reason", rules.whyUnqualified(member)));
                continue;
            }
            level++;
            if (qualified) {
                add(awards, member, "LEVEL", level, rates.get(level - 1), sale, new JsonObject().put("sponsorLevel", i + 1)
                        .put("compressedAway", skipped.copy()).put("compression", rules.compression()));
            }
            skipped = new JsonArray();
        }
        return awards;
    }

    private static void add(List<Award> awards, MemberStanding member, String rule, Integer level, BigDecimal rate, Sale sale, JsonObject trace) {
        long amount = BigDecimal.valueOf(sale.bv()).multiply(rate).setScale(0, RoundingMode.HALF_UP).longValueExact();
        if (amount > 0) {
            awards.add(new Award(member.id(), member.memberCode(), rule, level, rate, amount, trace));
        }
    }
}
