package io.downline.commission.app;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.commission.engine.CompPlan;
import io.downline.genealogy.NetworkReads.MemberStanding;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The instant bonuses of a paid order: the sponsor bonus on a recruit's first order, and level commissions up the
 * sponsor line with compression (unqualified uplines are skipped and their level rolls up to the next qualified one;
 * the genealogy is never changed), by the plan version's {@link CompPlan} sections. Amounts are the rate times the order's
 * BV (or PV), rounded half-up to the minor unit.
 * This is the live side's adapter until the engine core's own instant calculation is merged (see the report).
 */
@ApplicationScoped
public class InstantBonuses {

    /** A paid order as the instant rules see it: BV and PV in minor units; first = the buyer's first paid order. */
    public record Sale(UUID orderId, long buyerId, String buyerCode, long bv, long pv, boolean first) {
    }

    /** One commission the sale earns an upline member, with the rule's trace (e.g. members compression skipped). */
    public record Award(long memberId, String memberCode, String rule, Integer level, BigDecimal rate, long base, long amount, JsonObject trace) {
    }

    /** The awards of the sale; {@code upline} is the buyer's sponsor line, nearest first, with each member's period volume. */
    public List<Award> awards(CommissionPlans.LoadedPlan loaded, Sale sale, List<MemberStanding> upline) {
        CompPlan plan = loaded.plan();
        List<Award> awards = new ArrayList<>();
        if (upline.isEmpty()) {
            return awards;
        }
        MemberStanding sponsor = upline.get(0);
        CompPlan.SponsorBonus sponsorBonus = plan.sponsorBonus();
        if (sale.first() && sponsorBonus != null && qualified(plan, sponsor)) {
            add(awards, sponsor, "SPONSOR_BONUS", null, sponsorBonus.ratePercent(), base(sale, sponsorBonus.basis()),
                    new JsonObject().put("firstOrder", true).put("basis", sponsorBonus.basis().name()));
        }
        CompPlan.LevelCommission levels = plan.levels();
        if (levels == null) {
            return awards;
        }
        boolean compression = levels.compression() == CompPlan.Compression.DYNAMIC;
        long base = base(sale, levels.basis());
        int level = 0;
        JsonArray skipped = new JsonArray();
        for (int i = 0; i < upline.size() && level < levels.depth(); i++) {
            MemberStanding member = upline.get(i);
            boolean qualified = qualified(plan, member);
            if (!qualified && compression) {
                skipped.add(new JsonObject().put("member", member.memberCode()).put("reason", whyUnqualified(plan, member)));
                continue;
            }
            level++;
            if (qualified) {
                add(awards, member, "LEVEL", level, levels.ratePercents().get(level - 1), base, new JsonObject().put("sponsorLevel", i + 1)
                        .put("compression", levels.compression().name()).put("compressedAway", skipped).put("basis", levels.basis().name()));
            }
            skipped = new JsonArray();
        }
        return awards;
    }

    /** The sale's volume a rate applies to, in minor units (PV counted like money: 1 PV = 1 unit). */
    private static long base(Sale sale, CompPlan.PayoutBasis basis) {
        return basis == CompPlan.PayoutBasis.PV ? sale.pv() : sale.bv();
    }

    /** The plan's qualification in the period: personal PV in whole points, and active status if required. */
    static boolean qualified(CompPlan plan, MemberStanding member) {
        return plan.qualification().isQualified(wholePoints(member.personalPv()), member.active(), false);
    }

    private static String whyUnqualified(CompPlan plan, MemberStanding member) {
        if (plan.qualification().requireActive() && !member.active()) {
            return "status " + member.status();
        }
        return "personal PV " + member.personalPv().toPlainString() + " below " + plan.qualification().minPersonalPv();
    }

    static long wholePoints(BigDecimal pv) {
        return pv.setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    /** Rate percent of the base, half-up to the minor unit; the rate is kept as a fraction on the line. */
    private static void add(List<Award> awards, MemberStanding member, String rule, Integer level, BigDecimal ratePercent, long base,
            JsonObject trace) {
        BigDecimal rate = ratePercent.movePointLeft(2);
        long amount = BigDecimal.valueOf(base).multiply(rate).setScale(0, RoundingMode.HALF_UP).longValueExact();
        if (amount > 0) {
            awards.add(new Award(member.id(), member.memberCode(), rule, level, rate, base, amount, trace.put("base", base)));
        }
    }
}
