package io.downline.commission.engine;

import java.util.ArrayList;
import java.util.List;

import io.downline.commission.engine.CompPlan.Compression;
import io.downline.commission.engine.CompPlan.PayoutBasis;

/**
 * The bonuses a paid order earns the moment it is paid: the sponsor bonus on a recruit's first order and the level
 * commission up the sponsor tree, with compression. Stateless and thread-safe; the plan must have passed
 * {@link PlanValidator}.
 */
public final class InstantEngine {

    private InstantEngine() {
    }

    public static InstantResult compute(CompPlan plan, InstantSale sale) {
        List<CommissionLine> lines = new ArrayList<>();
        List<SkippedUpline> skipped = new ArrayList<>();
        CompPlan.SponsorBonus sponsorBonus = plan.sponsorBonus();
        if (sponsorBonus != null && sale.firstOrder() && !sale.upline().isEmpty()) {
            UplineMember sponsor = sale.upline().get(0);
            if (sponsor.qualified()) {
                add(lines, plan, sale, sponsor, Rule.SPONSOR_BONUS, 1, Percent.of(sponsorBonus.ratePercent()),
                        volume(sale, sponsorBonus.basis()));
            } else {
                skipped.add(new SkippedUpline(sponsor.memberId(), Rule.SPONSOR_BONUS, 1, false));
            }
        }
        CompPlan.LevelCommission levels = plan.levels();
        if (levels != null) {
            long base = volume(sale, levels.basis());
            boolean compress = levels.compression() == Compression.DYNAMIC;
            int level = 1;
            for (UplineMember member : sale.upline()) {
                if (level > levels.depth()) {
                    break;
                }
                if (member.qualified()) {
                    add(lines, plan, sale, member, Rule.LEVEL_COMMISSION, level,
                            Percent.of(levels.ratePercents().get(level - 1)), base);
                    level++;
                } else {
                    skipped.add(new SkippedUpline(member.memberId(), Rule.LEVEL_COMMISSION, level, compress));
                    if (!compress) {
                        level++;
                    }
                }
            }
        }
        return new InstantResult(lines, skipped);
    }

    private static void add(List<CommissionLine> lines, CompPlan plan, InstantSale sale, UplineMember earner,
            Rule rule, int level, Percent rate, long base) {
        long amount = rate.of(base);
        if (amount > 0) {
            lines.add(new CommissionLine(earner.memberId(), rule, amount, amount, new Trace(plan.version(),
                    sale.orderRef(), sale.buyerId(), level, rate.value(), base, null)));
        }
    }

    private static long volume(InstantSale sale, PayoutBasis basis) {
        if (basis == PayoutBasis.BV) {
            return sale.bv();
        }
        if (basis == PayoutBasis.PV) {
            return sale.pv();
        }
        throw new IllegalArgumentException("the plan pays from " + basis + ", which is not product volume");
    }
}
