package io.downline.commission.engine;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

import io.downline.commission.engine.CompPlan.Binary;
import io.downline.commission.engine.CompPlan.BinaryPay;
import io.downline.commission.engine.CompPlan.CapExcess;
import io.downline.commission.engine.CompPlan.FirstPair;
import io.downline.commission.engine.CompPlan.PayoutBasis;
import io.downline.commission.engine.CompPlan.Rank;

/**
 * The period close over a snapshot in memory: binary pairing with carry-forward, caps and flush-out; rank evaluation;
 * matching bonus; leadership pool; then the payout cap, pro rata by largest remainder. Every pass is linear in the
 * members (matching: times the generations). The same call computes an actual close and a what-if replay, so equal
 * inputs give equal results. Stateless and thread-safe; the plan must have passed {@link PlanValidator}.
 */
public final class PeriodCloseEngine {

    private PeriodCloseEngine() {
    }

    public static CloseResult close(CompPlan plan, PeriodSnapshot snapshot) {
        int n = snapshot.size();
        boolean[] qualified = new boolean[n];
        for (int i = 0; i < n; i++) {
            qualified[i] = plan.qualification().isQualified(snapshot.pv()[i], snapshot.active()[i],
                    snapshot.kycVerified()[i]);
        }
        LineTable lines = new LineTable();
        long[] carryLeft = snapshot.carryLeft().clone();
        long[] carryRight = snapshot.carryRight().clone();
        long[] flushedLeft = new long[n];
        long[] flushedRight = new long[n];
        boolean[] pairedBefore = snapshot.pairedBefore().clone();
        long[] binaryEarned = new long[n];
        if (plan.binary() != null) {
            new BinaryPass(plan.binary(), snapshot, qualified, carryLeft, carryRight, flushedLeft, flushedRight,
                    pairedBefore, binaryEarned).run(lines);
        }
        SponsorTree sponsorTree = SponsorTree.of(snapshot.sponsor());
        int[] paidAs = new int[n];
        Arrays.fill(paidAs, -1);
        int[] highest = snapshot.highestRank().clone();
        if (!plan.ranks().isEmpty()) {
            evaluateRanks(plan, snapshot, sponsorTree, paidAs, highest);
        }
        if (plan.matching() != null) {
            matching(plan, snapshot.sponsor(), qualified, paidAs, binaryEarned, lines);
        }
        long companyBv = snapshot.companyBv();
        if (plan.pool() != null) {
            pool(plan, qualified, paidAs, companyBv, lines);
        }
        CapOutcome cap = applyCap(plan, snapshot, companyBv, lines);
        return new CloseResult(snapshot, plan.version(), lines, carryLeft, carryRight, flushedLeft, flushedRight,
                pairedBefore, paidAs, highest, cap, companyBv);
    }

    /** Binary pairing of every member's two placement legs, leg volumes from prefix sums over the pre-order. */
    private static final class BinaryPass {
        private final Binary rules;
        private final PeriodSnapshot snapshot;
        private final boolean[] qualified;
        private final long[] carryLeft;
        private final long[] carryRight;
        private final long[] flushedLeft;
        private final long[] flushedRight;
        private final boolean[] pairedBefore;
        private final long[] earned;

        BinaryPass(Binary rules, PeriodSnapshot snapshot, boolean[] qualified, long[] carryLeft, long[] carryRight,
                long[] flushedLeft, long[] flushedRight, boolean[] pairedBefore, long[] earned) {
            this.rules = rules;
            this.snapshot = snapshot;
            this.qualified = qualified;
            this.carryLeft = carryLeft;
            this.carryRight = carryRight;
            this.flushedLeft = flushedLeft;
            this.flushedRight = flushedRight;
            this.pairedBefore = pairedBefore;
            this.earned = earned;
        }

        void run(LineTable lines) {
            int n = snapshot.size();
            int[] parent = snapshot.parent();
            long[] volume = rules.basis() == PayoutBasis.BV ? snapshot.bv() : snapshot.pv();
            int[] size = new int[n];
            Arrays.fill(size, 1);
            for (int i = n - 1; i > 0; i--) {
                if (parent[i] >= 0) {
                    size[parent[i]] += size[i];
                }
            }
            long[] prefix = new long[n + 1];
            for (int i = 0; i < n; i++) {
                prefix[i + 1] = prefix[i] + volume[i];
            }
            int[] leftChild = new int[n];
            int[] rightChild = new int[n];
            Arrays.fill(leftChild, -1);
            Arrays.fill(rightChild, -1);
            for (int i = 0; i < n; i++) {
                int p = parent[i];
                if (p < 0) {
                    continue;
                }
                int[] legs = snapshot.side()[i] == PeriodSnapshot.LEFT ? leftChild : rightChild;
                if (legs[p] >= 0) {
                    throw new IllegalArgumentException("position " + p + " has two members in the same leg");
                }
                legs[p] = i;
            }
            boolean[] directLeft = new boolean[n];
            boolean[] directRight = new boolean[n];
            if (rules.requireActiveDirectEachSide()) {
                int[] sponsor = snapshot.sponsor();
                for (int j = 0; j < n; j++) {
                    int s = sponsor[j];
                    if (s >= 0 && qualified[j]) {
                        directLeft[s] |= within(j, leftChild[s], size);
                        directRight[s] |= within(j, rightChild[s], size);
                    }
                }
            }
            Percent weakLegRate = rules.pay() == BinaryPay.WEAK_LEG_PERCENT ? Percent.of(rules.weakLegPercent()) : null;
            for (int i = 0; i < n; i++) {
                long left = carryLeft[i] + legVolume(leftChild[i], size, prefix);
                long right = carryRight[i] + legVolume(rightChild[i], size, prefix);
                boolean qualifies = qualified[i]
                        && (!rules.requireActiveDirectEachSide() || directLeft[i] && directRight[i]);
                if (!qualifies) {
                    if (rules.flushWhenUnqualified()) {
                        flushedLeft[i] = left;
                        flushedRight[i] = right;
                        left = 0;
                        right = 0;
                    }
                    keep(i, left, right);
                    continue;
                }
                pair(i, left, right, weakLegRate, lines);
            }
        }

        private void pair(int i, long left, long right, Percent weakLegRate, LineTable lines) {
            long a = rules.leftUnit();
            long b = rules.rightUnit();
            long firstLeft = a;
            long firstRight = b;
            if (rules.firstPair() == FirstPair.ONE_TO_TWO && !pairedBefore[i]) {
                boolean twoLeft = left >= 2 * a && right >= b;
                boolean twoRight = left >= a && right >= 2 * b;
                // with both possible, the first pair takes the double unit from the relatively stronger leg
                if (twoLeft && (!twoRight || left / a >= right / b)) {
                    firstLeft = 2 * a;
                } else {
                    firstRight = 2 * b;
                }
            }
            long pairs = left < firstLeft || right < firstRight ? 0
                    : 1 + Math.min((left - firstLeft) / a, (right - firstRight) / b);
            Integer maxPairs = rules.maxPairsPerPeriod();
            long paid = maxPairs == null ? pairs : Math.min(pairs, maxPairs);
            long consumed = maxPairs != null && rules.capExcess() == CapExcess.CARRY ? paid : pairs;
            long consumedLeft = volumeOf(consumed, firstLeft, a);
            long consumedRight = volumeOf(consumed, firstRight, b);
            long paidLeft = volumeOf(paid, firstLeft, a);
            long paidRight = volumeOf(paid, firstRight, b);
            flushedLeft[i] = consumedLeft - paidLeft;
            flushedRight[i] = consumedRight - paidRight;
            keep(i, left - consumedLeft, right - consumedRight);
            if (paid == 0) {
                return;
            }
            pairedBefore[i] = true;
            long weakLeg = Math.min(paidLeft, paidRight);
            long amount = weakLegRate == null ? Math.multiplyExact(paid, rules.perPairMinor()) : weakLegRate.of(weakLeg);
            if (amount > 0) {
                earned[i] = amount;
                lines.add(i, Rule.BINARY_PAIRING, amount, -1, weakLegRate == null ? null : weakLegRate.value(),
                        weakLeg, -1, paid);
            }
        }

        /** Carries what is left into the next period, flushing what is over the carry limit. */
        private void keep(int i, long left, long right) {
            Long max = rules.maxCarryPerLeg();
            if (max != null && left > max) {
                flushedLeft[i] += left - max;
                left = max;
            }
            if (max != null && right > max) {
                flushedRight[i] += right - max;
                right = max;
            }
            carryLeft[i] = left;
            carryRight[i] = right;
        }

        private static long volumeOf(long pairs, long first, long unit) {
            return pairs == 0 ? 0 : first + (pairs - 1) * unit;
        }

        private static long legVolume(int child, int[] size, long[] prefix) {
            return child < 0 ? 0 : prefix[child + size[child]] - prefix[child];
        }

        private static boolean within(int j, int legRoot, int[] size) {
            return legRoot >= 0 && j >= legRoot && j < legRoot + size[legRoot];
        }
    }

    /** Bottom-up over the sponsor tree: group volume, qualified legs and ranks in legs decide the paid-as rank. */
    private static void evaluateRanks(CompPlan plan, PeriodSnapshot snapshot, SponsorTree tree, int[] paidAs,
            int[] highest) {
        int n = snapshot.size();
        List<Rank> ranks = plan.ranks();
        int[] legRank = new int[ranks.size()];
        for (int r = 0; r < ranks.size(); r++) {
            legRank[r] = plan.rankIndex(ranks.get(r).legRank());
        }
        long[] pv = snapshot.pv();
        long[] group = pv.clone();
        int[] bestInSubtree = new int[n];
        Arrays.fill(bestInSubtree, -1);
        for (int k = n - 1; k >= 0; k--) {
            int i = tree.order[k];
            for (int r = ranks.size() - 1; r >= 0; r--) {
                Rank rank = ranks.get(r);
                if (pv[i] >= rank.minPersonalPv() && group[i] >= rank.minGroupVolume()
                        && qualifiedLegs(tree, i, group, bestInSubtree, rank.minLegVolume(), legRank[r])
                                >= rank.minQualifiedLegs()) {
                    paidAs[i] = r;
                    break;
                }
            }
            highest[i] = Math.max(highest[i], paidAs[i]);
            bestInSubtree[i] = Math.max(bestInSubtree[i], highest[i]);
            int s = snapshot.sponsor()[i];
            if (s >= 0) {
                group[s] += group[i];
                bestInSubtree[s] = Math.max(bestInSubtree[s], bestInSubtree[i]);
            }
        }
    }

    private static int qualifiedLegs(SponsorTree tree, int i, long[] group, int[] bestInSubtree, long minLegVolume,
            int legRank) {
        int count = 0;
        for (int k = tree.start[i]; k < tree.start[i + 1]; k++) {
            int leg = tree.children[k];
            if (group[leg] >= minLegVolume && bestInSubtree[leg] >= legRank) {
                count++;
            }
        }
        return count;
    }

    /** Each binary earner's sponsor upline, generation by generation; no compression. */
    private static void matching(CompPlan plan, int[] sponsor, boolean[] qualified, int[] paidAs,
            long[] binaryEarned, LineTable lines) {
        List<CompPlan.MatchingGeneration> generations = plan.matching().generations();
        Percent[] rates = new Percent[generations.size()];
        int[] minRank = new int[generations.size()];
        for (int g = 0; g < rates.length; g++) {
            rates[g] = Percent.of(generations.get(g).ratePercent());
            minRank[g] = plan.rankIndex(generations.get(g).minRank());
        }
        for (int j = 0; j < binaryEarned.length; j++) {
            long earned = binaryEarned[j];
            if (earned == 0) {
                continue;
            }
            int upline = sponsor[j];
            for (int g = 0; g < rates.length && upline >= 0; g++) {
                if (qualified[upline] && paidAs[upline] >= minRank[g]) {
                    long amount = rates[g].of(earned);
                    if (amount > 0) {
                        lines.add(upline, Rule.MATCHING_BONUS, amount, g + 1, rates[g].value(), earned, j, -1);
                    }
                }
                upline = sponsor[upline];
            }
        }
    }

    /** The pool's whole minor units per share go to qualified members by their paid-as rank's shares. */
    private static void pool(CompPlan plan, boolean[] qualified, int[] paidAs, long companyBv, LineTable lines) {
        Percent rate = Percent.of(plan.pool().percentOfCompanyBv());
        long[] sharesOfRank = plan.ranks().stream().mapToLong(Rank::poolShares).toArray();
        long totalShares = 0;
        for (int i = 0; i < paidAs.length; i++) {
            if (qualified[i] && paidAs[i] >= 0) {
                totalShares += sharesOfRank[paidAs[i]];
            }
        }
        if (totalShares == 0) {
            return;
        }
        long perShare = rate.of(companyBv) / totalShares;
        if (perShare == 0) {
            return;
        }
        for (int i = 0; i < paidAs.length; i++) {
            if (qualified[i] && paidAs[i] >= 0 && sharesOfRank[paidAs[i]] > 0) {
                long shares = sharesOfRank[paidAs[i]];
                lines.add(i, Rule.LEADERSHIP_POOL, perShare * shares, -1, rate.value(), companyBv, -1, shares);
            }
        }
    }

    /**
     * Scales every line by limit/earned when the period earned more than its limit: each line gets the floor of its
     * exact share and the minor units still missing go one each to the lines with the largest remainders (ties: the
     * earlier line), so the total is exactly the limit and no line grows or goes negative.
     */
    static CapOutcome applyCap(CompPlan plan, PeriodSnapshot snapshot, long companyBv, LineTable lines) {
        long earned = 0;
        for (int k = 0; k < lines.size; k++) {
            earned = Math.addExact(earned, lines.amount[k]);
        }
        if (plan.payoutCap() == null) {
            return new CapOutcome(Long.MAX_VALUE, earned, earned);
        }
        long limit = Math.max(0, Percent.of(plan.payoutCap().percentOfBv()).of(companyBv)
                - snapshot.instantPaidMinor());
        if (earned <= limit) {
            return new CapOutcome(limit, earned, earned);
        }
        long[] remainder = new long[lines.size];
        long floorTotal = 0;
        for (int k = 0; k < lines.size; k++) {
            long amount = lines.amount[k];
            long high = Math.multiplyHigh(amount, limit);
            long low = amount * limit;
            if (high == 0 && low >= 0) {
                lines.amount[k] = low / earned;
                remainder[k] = low % earned;
            } else {
                BigInteger[] qr = BigInteger.valueOf(amount).multiply(BigInteger.valueOf(limit))
                        .divideAndRemainder(BigInteger.valueOf(earned));
                lines.amount[k] = qr[0].longValueExact();
                remainder[k] = qr[1].longValueExact();
            }
            floorTotal += lines.amount[k];
        }
        int missing = Math.toIntExact(limit - floorTotal);
        if (missing > 0) {
            long[] sorted = remainder.clone();
            Arrays.sort(sorted);
            long threshold = sorted[sorted.length - missing];
            int above = 0;
            for (int k = 0; k < lines.size; k++) {
                if (remainder[k] > threshold) {
                    lines.amount[k]++;
                    above++;
                }
            }
            for (int k = 0; k < lines.size && above < missing; k++) {
                if (remainder[k] == threshold) {
                    lines.amount[k]++;
                    above++;
                }
            }
        }
        return new CapOutcome(limit, earned, limit);
    }
}
