package io.downline.commission.app;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.commission.engine.CommissionLine;
import io.downline.commission.engine.CompPlan;
import io.downline.commission.engine.InstantEngine;
import io.downline.commission.engine.InstantResult;
import io.downline.commission.engine.InstantSale;
import io.downline.commission.engine.Rule;
import io.downline.commission.engine.SkippedUpline;
import io.downline.commission.engine.Trace;
import io.downline.commission.engine.UplineMember;
import io.downline.genealogy.api.NetworkReads.MemberStanding;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The instant bonuses of a paid order, computed by the engine core's {@link InstantEngine}: the sponsor bonus on a recruit's first order, and level commissions up the
 * sponsor line with compression (unqualified uplines are skipped and their level rolls up to the next qualified one;
 * the genealogy is never changed). This side supplies the upline with each member's qualification in the period and turns
 * the engine's lines into awards with their trace.
 */
@ApplicationScoped
public class InstantBonuses {

    /** A paid order as the instant rules see it: BV and PV in minor units; first = the buyer's first paid order. */
    public record Sale(UUID orderId, long buyerId, String buyerCode, long bv, long pv, boolean first) {
    }

    /** One commission the sale earns an upline member, with the rule's trace (e.g. members compression skipped). */
    public record Award(long memberId, String memberCode, String rule, Integer level, BigDecimal rate, long base, long amount, JsonObject trace) {
    }

    /**
     * The awards of the sale; {@code upline} is the buyer's sponsor line, nearest first, with each member's period volume;
     * {@code kycApproved} holds those of them whose KYC is complete (read only when the plan requires it).
     */
    public List<Award> awards(CommissionPlans.LoadedPlan loaded, Sale sale, List<MemberStanding> upline, Set<Long> kycApproved) {
        CompPlan plan = loaded.plan();
        Map<Long, MemberStanding> byId = new HashMap<>();
        List<UplineMember> members = new ArrayList<>(upline.size());
        for (MemberStanding member : upline) {
            byId.put(member.id(), member);
            members.add(new UplineMember(member.id(), qualified(plan, member, kycApproved.contains(member.id()))));
        }
        InstantResult result = InstantEngine.compute(plan, new InstantSale(sale.orderId().toString(), sale.buyerId(), sale.bv(), sale.pv(),
                sale.first(), members));
        List<Award> awards = new ArrayList<>();
        for (CommissionLine line : result.lines()) {
            MemberStanding earner = byId.get(line.memberId());
            Trace trace = line.trace();
            JsonObject details = new JsonObject().put("base", trace.baseVolume()).put("ratePercent", trace.ratePercent().toPlainString());
            boolean sponsorBonus = line.rule() == Rule.SPONSOR_BONUS;
            if (sponsorBonus) {
                details.put("firstOrder", true).put("basis", plan.sponsorBonus().basis().name());
            } else {
                JsonArray compressedAway = new JsonArray();
                for (SkippedUpline skipped : result.skipped()) {
                    if (skipped.rule() == Rule.LEVEL_COMMISSION && skipped.rolledUp() && skipped.level() == trace.level()) {
                        MemberStanding member = byId.get(skipped.memberId());
                        compressedAway.add(new JsonObject().put("member", member.memberCode())
                                .put("reason", whyUnqualified(plan, member, kycApproved.contains(member.id()))));
                    }
                }
                details.put("compression", plan.levels().compression().name()).put("compressedAway", compressedAway)
                        .put("basis", plan.levels().basis().name());
            }
            awards.add(new Award(earner.id(), earner.memberCode(), sponsorBonus ? "SPONSOR_BONUS" : "LEVEL", sponsorBonus ? null : trace.level(),
                    trace.ratePercent().movePointLeft(2), trace.baseVolume(), line.amountMinor(), details));
        }
        return awards;
    }

    /** The plan's qualification in the period: personal PV in whole points, and active status and complete KYC if required. */
    static boolean qualified(CompPlan plan, MemberStanding member, boolean kycApproved) {
        return plan.qualification().isQualified(wholePoints(member.personalPv()), member.active(), kycApproved);
    }

    private static String whyUnqualified(CompPlan plan, MemberStanding member, boolean kycApproved) {
        if (plan.qualification().requireActive() && !member.active()) {
            return "status " + member.status();
        }
        if (plan.qualification().requireKyc() && !kycApproved) {
            return "KYC not approved";
        }
        return "personal PV " + member.personalPv().toPlainString() + " below " + plan.qualification().minPersonalPv();
    }

    static long wholePoints(BigDecimal pv) {
        return pv.setScale(0, RoundingMode.FLOOR).longValueExact();
    }
}
