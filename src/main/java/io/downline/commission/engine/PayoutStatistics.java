package io.downline.commission.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * How a close's payout is distributed over every member of the snapshot (members who earned nothing count as zero).
 * Percentiles use the nearest-rank method; the Gini coefficient is 0 when all earn the same and approaches 1 when one
 * member earns everything. Ratios are rounded half-even to 4 decimals.
 *
 * @param members          members in the snapshot
 * @param earners          members paid more than zero
 * @param totalPaidMinor   total paid by the close
 * @param companyBv        company BV of the period
 * @param payoutPercentOfBv total paid as a percentage of company BV
 */
public record PayoutStatistics(
        int members,
        int earners,
        long totalPaidMinor,
        long companyBv,
        BigDecimal payoutPercentOfBv,
        long p50Minor,
        long p90Minor,
        long p99Minor,
        long maxMinor,
        BigDecimal gini) {

    public static PayoutStatistics of(CloseResult result) {
        long[] sorted = result.payoutByMember();
        Arrays.sort(sorted);
        int n = sorted.length;
        int earners = 0;
        long total = 0;
        // sum of rank * value over the ascending order, as suffix sums so that each step fits a long
        BigInteger weighted = BigInteger.ZERO;
        long suffix = 0;
        for (int k = n - 1; k >= 0; k--) {
            suffix += sorted[k];
            weighted = weighted.add(BigInteger.valueOf(suffix));
            if (sorted[k] > 0) {
                earners++;
            }
        }
        total = suffix;
        BigDecimal payoutPercent = result.companyBv() == 0 ? BigDecimal.ZERO
                : BigDecimal.valueOf(total).multiply(BigDecimal.valueOf(100))
                        .divide(BigDecimal.valueOf(result.companyBv()), 4, RoundingMode.HALF_EVEN);
        return new PayoutStatistics(n, earners, total, result.companyBv(), payoutPercent, percentile(sorted, 50),
                percentile(sorted, 90), percentile(sorted, 99), n == 0 ? 0 : sorted[n - 1], gini(weighted, total, n));
    }

    /** G = 2 * sum(i * x_i) / (n * sum x) - (n + 1) / n, with x ascending and i from 1. */
    private static BigDecimal gini(BigInteger weighted, long total, int n) {
        if (n == 0 || total == 0) {
            return BigDecimal.ZERO.setScale(4);
        }
        BigInteger numerator = weighted.multiply(BigInteger.TWO)
                .subtract(BigInteger.valueOf(total).multiply(BigInteger.valueOf(n + 1L)));
        return new BigDecimal(numerator).divide(new BigDecimal(BigInteger.valueOf(total)
                .multiply(BigInteger.valueOf(n))), 4, RoundingMode.HALF_EVEN);
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
