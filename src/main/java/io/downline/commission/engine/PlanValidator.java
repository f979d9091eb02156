package io.downline.commission.engine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.downline.commission.engine.CompPlan.Binary;
import io.downline.commission.engine.CompPlan.BinaryPay;
import io.downline.commission.engine.CompPlan.PayoutBasis;
import io.downline.commission.engine.CompPlan.Rank;

/** Checks a plan before it may be stored or used; an empty list means it is valid. Stateless and thread-safe. */
public final class PlanValidator {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final int MAX_RATE_SCALE = 4;
    private static final int MAX_DEPTH = 50;

    private PlanValidator() {
    }

    public static List<PlanViolation> validate(CompPlan plan) {
        List<PlanViolation> out = new ArrayList<>();
        if (plan == null) {
            out.add(new PlanViolation(PlanRule.REQUIRED, "", "the plan is empty"));
            return out;
        }
        if (plan.version() == null || plan.version().isBlank()) {
            out.add(new PlanViolation(PlanRule.REQUIRED, "version", "a plan needs a version label"));
        }
        if (plan.currency() == null || !isCurrency(plan.currency())) {
            out.add(new PlanViolation(PlanRule.REQUIRED, "currency", "an ISO 4217 currency code is required"));
        }
        if (plan.periodKind() == null) {
            out.add(new PlanViolation(PlanRule.REQUIRED, "periodKind", "WEEKLY or MONTHLY is required"));
        }
        if (plan.joiningFeeMinor() != null && plan.joiningFeeMinor() != 0) {
            out.add(new PlanViolation(PlanRule.NO_JOINING_FEE, "joiningFeeMinor",
                    "a plan may not charge anyone for joining or registering"));
        }
        if (plan.qualification() == null) {
            out.add(new PlanViolation(PlanRule.REQUIRED, "qualification", "qualification rules are required"));
        } else if (plan.qualification().minPersonalPv() < 0) {
            out.add(new PlanViolation(PlanRule.POSITIVE, "qualification.minPersonalPv", "may not be negative"));
        }
        if (plan.sponsorBonus() != null) {
            basis(plan.sponsorBonus().basis(), "sponsorBonus.basis", out);
            rate(plan.sponsorBonus().ratePercent(), "sponsorBonus.ratePercent", out);
        }
        if (plan.levels() != null) {
            validateLevels(plan.levels(), out);
        }
        if (plan.binary() != null) {
            validateBinary(plan.binary(), out);
        }
        validateRanks(plan.ranks(), out);
        if (plan.matching() != null) {
            if (plan.binary() == null) {
                out.add(new PlanViolation(PlanRule.REQUIRED, "binary", "a matching bonus matches binary earnings"));
            }
            List<CompPlan.MatchingGeneration> generations = plan.matching().generations();
            if (generations.isEmpty()) {
                out.add(new PlanViolation(PlanRule.REQUIRED, "matching.generations", "at least one generation"));
            }
            BigDecimal total = BigDecimal.ZERO;
            for (int g = 0; g < generations.size(); g++) {
                String path = "matching.generations[" + g + "]";
                CompPlan.MatchingGeneration generation = generations.get(g);
                if (generation == null) {
                    out.add(new PlanViolation(PlanRule.REQUIRED, path, "a generation may not be empty"));
                    continue;
                }
                if (rate(generation.ratePercent(), path + ".ratePercent", out)) {
                    total = total.add(generation.ratePercent());
                }
                if (generation.minRank() != null && plan.rankIndex(generation.minRank()) < 0) {
                    out.add(new PlanViolation(PlanRule.UNKNOWN_RANK, path + ".minRank",
                            "no rank " + generation.minRank() + " in the rank table"));
                }
            }
            totalAtMostHundred(total, "matching.generations", out);
        }
        if (plan.pool() != null) {
            rate(plan.pool().percentOfCompanyBv(), "pool.percentOfCompanyBv", out);
            if (plan.ranks().stream().noneMatch(r -> r != null && r.poolShares() > 0)) {
                out.add(new PlanViolation(PlanRule.REQUIRED, "ranks",
                        "a leadership pool needs at least one rank with pool shares"));
            }
        }
        if (plan.payoutCap() != null) {
            rate(plan.payoutCap().percentOfBv(), "payoutCap.percentOfBv", out);
        }
        return out;
    }

    private static void validateLevels(CompPlan.LevelCommission levels, List<PlanViolation> out) {
        basis(levels.basis(), "levels.basis", out);
        if (levels.compression() == null) {
            out.add(new PlanViolation(PlanRule.REQUIRED, "levels.compression", "NONE or DYNAMIC is required"));
        }
        if (levels.depth() == 0 || levels.depth() > MAX_DEPTH) {
            out.add(new PlanViolation(PlanRule.REQUIRED, "levels.ratePercents",
                    "between 1 and " + MAX_DEPTH + " levels"));
        }
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < levels.depth(); i++) {
            if (rate(levels.ratePercents().get(i), "levels.ratePercents[" + i + "]", out)) {
                total = total.add(levels.ratePercents().get(i));
            }
        }
        totalAtMostHundred(total, "levels.ratePercents", out);
    }

    private static void validateBinary(Binary binary, List<PlanViolation> out) {
        basis(binary.basis(), "binary.basis", out);
        if (binary.leftUnit() <= 0) {
            out.add(new PlanViolation(PlanRule.POSITIVE, "binary.leftUnit", "the left volume of a pair must be > 0"));
        }
        if (binary.rightUnit() <= 0) {
            out.add(new PlanViolation(PlanRule.POSITIVE, "binary.rightUnit", "the right volume of a pair must be > 0"));
        }
        if (binary.firstPair() == null) {
            out.add(new PlanViolation(PlanRule.REQUIRED, "binary.firstPair", "STANDARD or ONE_TO_TWO is required"));
        }
        if (binary.pay() == null) {
            out.add(new PlanViolation(PlanRule.REQUIRED, "binary.pay", "PER_PAIR or WEAK_LEG_PERCENT is required"));
        } else if (binary.pay() == BinaryPay.PER_PAIR) {
            if (binary.perPairMinor() == null || binary.perPairMinor() <= 0) {
                out.add(new PlanViolation(PlanRule.PAY_MODE, "binary.perPairMinor", "PER_PAIR needs an amount > 0"));
            }
            if (binary.weakLegPercent() != null) {
                out.add(new PlanViolation(PlanRule.PAY_MODE, "binary.weakLegPercent", "not used with PER_PAIR"));
            }
        } else {
            rate(binary.weakLegPercent(), "binary.weakLegPercent", out);
            if (binary.perPairMinor() != null) {
                out.add(new PlanViolation(PlanRule.PAY_MODE, "binary.perPairMinor", "not used with WEAK_LEG_PERCENT"));
            }
        }
        if (binary.maxPairsPerPeriod() != null) {
            if (binary.maxPairsPerPeriod() <= 0) {
                out.add(new PlanViolation(PlanRule.POSITIVE, "binary.maxPairsPerPeriod", "a pair cap must be > 0"));
            }
            if (binary.capExcess() == null) {
                out.add(new PlanViolation(PlanRule.REQUIRED, "binary.capExcess", "a pair cap needs FLUSH or CARRY"));
            }
        }
        if (binary.maxCarryPerLeg() != null && binary.maxCarryPerLeg() < 0) {
            out.add(new PlanViolation(PlanRule.POSITIVE, "binary.maxCarryPerLeg", "may not be negative"));
        }
    }

    /** The longest rank name the network keeps (genealogy's MemberRanks). */
    static final int MAX_RANK_CODE = 60;

    private static void validateRanks(List<Rank> ranks, List<PlanViolation> out) {
        Set<String> codes = new HashSet<>();
        Rank previous = null;
        for (int i = 0; i < ranks.size(); i++) {
            String path = "ranks[" + i + "]";
            Rank rank = ranks.get(i);
            if (rank == null || rank.code() == null || rank.code().isBlank()) {
                out.add(new PlanViolation(PlanRule.REQUIRED, path + ".code", "every rank needs a code"));
                continue;
            }
            if (rank.code().length() > MAX_RANK_CODE || !rank.code().equals(rank.code().strip())) {
                out.add(new PlanViolation(PlanRule.RANK_CODE, path + ".code", "must be 1 to " + MAX_RANK_CODE
                        + " characters without spaces around it"));
            }
            if (!codes.add(rank.code())) {
                out.add(new PlanViolation(PlanRule.RANK_ORDER, path + ".code", "rank " + rank.code() + " twice"));
            }
            if (rank.minPersonalPv() < 0 || rank.minGroupVolume() < 0 || rank.minQualifiedLegs() < 0
                    || rank.minLegVolume() < 0 || rank.poolShares() < 0) {
                out.add(new PlanViolation(PlanRule.POSITIVE, path, "rank requirements may not be negative"));
            }
            if (rank.legRank() != null && !codes.contains(rank.legRank()) || rank.code().equals(rank.legRank())) {
                out.add(new PlanViolation(PlanRule.UNKNOWN_RANK, path + ".legRank",
                        "a leg rank must be a lower rank listed before " + rank.code()));
            }
            if (previous != null && (rank.minPersonalPv() < previous.minPersonalPv()
                    || rank.minGroupVolume() < previous.minGroupVolume()
                    || rank.minQualifiedLegs() < previous.minQualifiedLegs()
                    || rank.poolShares() < previous.poolShares())) {
                out.add(new PlanViolation(PlanRule.RANK_ORDER, path,
                        rank.code() + " may not ask less or pay fewer pool shares than " + previous.code()));
            }
            previous = rank;
        }
    }

    private static void basis(PayoutBasis basis, String path, List<PlanViolation> out) {
        if (basis == null) {
            out.add(new PlanViolation(PlanRule.REQUIRED, path, "BV or PV is required"));
        } else if (!basis.isProductVolume()) {
            out.add(new PlanViolation(PlanRule.PRODUCT_VOLUME_ONLY, path,
                    basis + " is not product volume: pay only from BV or PV"));
        }
    }

    /** True when the rate is usable (so that it may be added to a total). */
    private static boolean rate(BigDecimal rate, String path, List<PlanViolation> out) {
        if (rate == null) {
            out.add(new PlanViolation(PlanRule.REQUIRED, path, "a rate is required"));
            return false;
        }
        if (rate.signum() <= 0 || rate.compareTo(HUNDRED) > 0 || rate.stripTrailingZeros().scale() > MAX_RATE_SCALE) {
            out.add(new PlanViolation(PlanRule.RATE_BOUNDS, path, rate.toPlainString() + " is not in (0, 100]"
                    + " with at most " + MAX_RATE_SCALE + " decimals"));
            return false;
        }
        return true;
    }

    private static void totalAtMostHundred(BigDecimal total, String path, List<PlanViolation> out) {
        if (total.compareTo(HUNDRED) > 0) {
            out.add(new PlanViolation(PlanRule.TOTAL_RATE_BOUNDS, path,
                    "the rates add up to " + total.toPlainString() + " %"));
        }
    }

    private static boolean isCurrency(String code) {
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
