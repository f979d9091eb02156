package io.downline.commission.engine;

import java.math.BigDecimal;
import java.util.List;

/**
 * A compensation plan as data: what the admin API accepts as JSON or YAML (plain Jackson binding of these records) and
 * what the engine computes with. Rates are percentages ({@code 6.25} means 6.25 %); money is in minor units of
 * {@link #currency()} (paise for INR); volumes are points as {@code long}, with BV counted in minor units as well. A
 * section left {@code null} is switched off. {@link PlanValidator} says whether a plan may be used.
 *
 * @param version      the label every commission line's trace carries (the admin API assigns it)
 * @param currency     ISO 4217 code of every amount in the plan
 * @param periodKind   how long a period is
 * @param joiningFeeMinor any fee for joining or registering; the Direct Selling Rules 2021 allow none, so anything
 *                     but {@code null} or 0 is rejected
 * @param qualification who counts as qualified (compression, binary, matching, pool)
 * @param sponsorBonus % of a recruit's first order to the direct sponsor
 * @param levels       level commission by sponsor-tree level, with compression
 * @param binary       binary pairing of the placement tree's two legs
 * @param matching     % of personally sponsored members' binary earnings, by generation
 * @param ranks        rank table, lowest first
 * @param pool         leadership pool: % of company BV shared by rank shares
 * @param payoutCap    the period's total payout limit as % of its BV
 */
public record CompPlan(
        String version,
        String currency,
        PeriodKind periodKind,
        Long joiningFeeMinor,
        Qualification qualification,
        SponsorBonus sponsorBonus,
        LevelCommission levels,
        Binary binary,
        Matching matching,
        List<Rank> ranks,
        LeadershipPool pool,
        PayoutCap payoutCap) {

    public CompPlan {
        ranks = ranks == null ? List.of() : List.copyOf(ranks);
    }

    public enum PeriodKind { WEEKLY, MONTHLY }

    /**
     * What a payout is computed from. Only {@code BV} and {@code PV} derive from product volume; the other two are
     * representable only so that a plan paying for recruitment is rejected with the rule it breaks instead of failing
     * to parse.
     */
    public enum PayoutBasis {
        BV, PV, RECRUITMENT, JOINING_FEE;

        public boolean isProductVolume() {
            return this == BV || this == PV;
        }
    }

    /** NONE: an unqualified upline keeps its level and forfeits it; DYNAMIC: it is skipped and the level rolls up. */
    public enum Compression { NONE, DYNAMIC }

    /** Who is qualified in a period: personal PV at least {@code minPersonalPv}, and active / KYC-verified if asked. */
    public record Qualification(long minPersonalPv, boolean requireActive, boolean requireKyc) {

        public boolean isQualified(long personalPv, boolean active, boolean kycVerified) {
            return personalPv >= minPersonalPv && (active || !requireActive) && (kycVerified || !requireKyc);
        }
    }

    /** {@code ratePercent} of the recruit's first order, paid to the direct sponsor when qualified (else forfeited). */
    public record SponsorBonus(BigDecimal ratePercent, PayoutBasis basis) {
    }

    /** Level {@code i+1} of the sponsor upline earns {@code ratePercents[i]} of each order; the depth is the size. */
    public record LevelCommission(List<BigDecimal> ratePercents, PayoutBasis basis, Compression compression) {

        public LevelCommission {
            ratePercents = ratePercents == null ? List.of() : List.copyOf(ratePercents);
        }

        public int depth() {
            return ratePercents.size();
        }
    }

    /** Pairs beyond the period's cap are either flushed (lost) or carried in the legs to the next period. */
    public enum CapExcess { FLUSH, CARRY }

    /** STANDARD: every pair is a:b; ONE_TO_TWO: a member's first pair ever is a:2b or 2a:b, then a:b. */
    public enum FirstPair { STANDARD, ONE_TO_TWO }

    /** PER_PAIR: {@code perPairMinor} per pair; WEAK_LEG_PERCENT: % of the weak-leg volume the pairs consumed. */
    public enum BinaryPay { PER_PAIR, WEAK_LEG_PERCENT }

    /**
     * Binary pairing per member per period: available(leg) = carry(leg) + new(leg); pairs = floor(min(L/a, R/b)).
     *
     * @param basis                which volume the legs sum (BV or PV)
     * @param leftUnit             volume a of one pair on the left
     * @param rightUnit            volume b of one pair on the right
     * @param firstPair            whether a member's first pair ever is 1:2 / 2:1
     * @param pay                  how a pair is paid
     * @param perPairMinor         amount per pair (PER_PAIR)
     * @param weakLegPercent       % of the consumed weak-leg volume (WEAK_LEG_PERCENT)
     * @param maxPairsPerPeriod    pair cap per period, {@code null} for none
     * @param capExcess            what happens to the volume of pairs over the cap
     * @param requireActiveDirectEachSide binary qualification: a qualified personally sponsored member in each leg
     * @param flushWhenUnqualified an unqualified member's legs are emptied at close instead of carried
     * @param maxCarryPerLeg       carry-forward limit per leg, {@code null} for none (excess is flushed)
     */
    public record Binary(
            PayoutBasis basis,
            long leftUnit,
            long rightUnit,
            FirstPair firstPair,
            BinaryPay pay,
            Long perPairMinor,
            BigDecimal weakLegPercent,
            Integer maxPairsPerPeriod,
            CapExcess capExcess,
            boolean requireActiveDirectEachSide,
            boolean flushWhenUnqualified,
            Long maxCarryPerLeg) {
    }

    /** One matching generation: {@code ratePercent} of that generation's binary earnings, for paid-as rank >= minRank. */
    public record MatchingGeneration(BigDecimal ratePercent, String minRank) {
    }

    /** Generation 1 is the personally sponsored members, generation 2 theirs, and so on (no compression). */
    public record Matching(List<MatchingGeneration> generations) {

        public Matching {
            generations = generations == null ? List.of() : List.copyOf(generations);
        }
    }

    /**
     * A rank, reached in a period when all of its conditions hold. Group volume is the PV of the member's whole sponsor
     * downline including the member; a leg is a personally sponsored member's sponsor subtree, and counts as qualified
     * when its PV is at least {@code minLegVolume} and, if {@code legRank} is set, someone in it has reached that rank
     * (highest rank achieved, this period included).
     *
     * @param poolShares shares in the leadership pool for members paid as this rank
     */
    public record Rank(
            String code,
            String name,
            long minPersonalPv,
            long minGroupVolume,
            int minQualifiedLegs,
            long minLegVolume,
            String legRank,
            int poolShares) {
    }

    /** {@code percentOfCompanyBv} of the period's company BV, shared among qualified members by their rank's shares. */
    public record LeadershipPool(BigDecimal percentOfCompanyBv) {
    }

    /** The period's commissions may not exceed {@code percentOfBv} of its BV; above it, they are scaled pro rata. */
    public record PayoutCap(BigDecimal percentOfBv) {
    }

    /** Index of a rank code in {@link #ranks()}, or -1 when there is no such rank (or {@code code} is null). */
    public int rankIndex(String code) {
        if (code == null) {
            return -1;
        }
        for (int i = 0; i < ranks.size(); i++) {
            if (ranks.get(i).code().equals(code)) {
                return i;
            }
        }
        return -1;
    }
}
