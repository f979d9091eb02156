package io.downline.commission.engine;

import java.math.BigDecimal;
import java.util.List;

import io.downline.commission.engine.CompPlan.Binary;
import io.downline.commission.engine.CompPlan.BinaryPay;
import io.downline.commission.engine.CompPlan.CapExcess;
import io.downline.commission.engine.CompPlan.FirstPair;
import io.downline.commission.engine.CompPlan.PayoutBasis;

/** Plans for engine tests: one section at a time on top of a plan that pays nothing. */
final class TestPlans {

    static final CompPlan.Qualification ANYONE = new CompPlan.Qualification(0, false, false);

    private TestPlans() {
    }

    static CompPlan empty(CompPlan.Qualification qualification) {
        return new CompPlan("test-1", "INR", CompPlan.PeriodKind.WEEKLY, null, qualification, null, null, null, null,
                List.of(), null, null);
    }

    static CompPlan withBinary(CompPlan p, Binary binary) {
        return new CompPlan(p.version(), p.currency(), p.periodKind(), null, p.qualification(), p.sponsorBonus(),
                p.levels(), binary, p.matching(), p.ranks(), p.pool(), p.payoutCap());
    }

    static CompPlan withMatching(CompPlan p, CompPlan.Matching matching) {
        return new CompPlan(p.version(), p.currency(), p.periodKind(), null, p.qualification(), p.sponsorBonus(),
                p.levels(), p.binary(), matching, p.ranks(), p.pool(), p.payoutCap());
    }

    static CompPlan withRanks(CompPlan p, List<CompPlan.Rank> ranks, CompPlan.LeadershipPool pool) {
        return new CompPlan(p.version(), p.currency(), p.periodKind(), null, p.qualification(), p.sponsorBonus(),
                p.levels(), p.binary(), p.matching(), ranks, pool, p.payoutCap());
    }

    static CompPlan withCap(CompPlan p, String percent) {
        return new CompPlan(p.version(), p.currency(), p.periodKind(), null, p.qualification(), p.sponsorBonus(),
                p.levels(), p.binary(), p.matching(), p.ranks(), p.pool(), new CompPlan.PayoutCap(new BigDecimal(percent)));
    }

    static CompPlan withInstant(CompPlan p, CompPlan.SponsorBonus sponsor, CompPlan.LevelCommission levels) {
        return new CompPlan(p.version(), p.currency(), p.periodKind(), null, p.qualification(), sponsor, levels,
                p.binary(), p.matching(), p.ranks(), p.pool(), p.payoutCap());
    }

    /** Pairs of {@code unit} PV on each side paying {@code perPair} minor units each. */
    static Binary perPair(long unit, long perPair, Integer maxPairs, CapExcess excess, boolean flushWhenUnqualified) {
        return new Binary(PayoutBasis.PV, unit, unit, FirstPair.STANDARD, BinaryPay.PER_PAIR, perPair, null, maxPairs,
                excess, false, flushWhenUnqualified, null);
    }
}
