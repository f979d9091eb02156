package io.downline.commission.engine;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A percentage as an exact fraction, applied to whole minor units by rounding down: a company never pays more than
 * the rate, and the at most one minor unit it keeps per line is stated in docs/commissions.md.
 */
final class Percent {

    private final BigDecimal percent;
    private final long numerator;
    private final long denominator;

    private Percent(BigDecimal percent) {
        BigDecimal exact = percent.stripTrailingZeros();
        int scale = Math.max(0, exact.scale());
        this.percent = percent;
        this.numerator = exact.movePointRight(scale).longValueExact();
        this.denominator = BigInteger.TEN.pow(scale).longValueExact() * 100;
    }

    static Percent of(BigDecimal percent) {
        return new Percent(percent);
    }

    BigDecimal value() {
        return percent;
    }

    /** floor(base * percent / 100), exact for any non-negative base. */
    long of(long base) {
        return scale(base, numerator, denominator);
    }

    /** floor(value * numerator / denominator) without overflow, for non-negative arguments. */
    static long scale(long value, long numerator, long denominator) {
        long high = Math.multiplyHigh(value, numerator);
        long low = value * numerator;
        if (high == 0 && low >= 0) {
            return low / denominator;
        }
        return BigInteger.valueOf(value).multiply(BigInteger.valueOf(numerator))
                .divide(BigInteger.valueOf(denominator)).longValueExact();
    }
}
