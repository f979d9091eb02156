package io.downline.commission.engine;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * How the payout cap applied to a close.
 *
 * @param limitMinor  what the period's bonuses may pay: cap % of company BV less instant bonuses already paid
 *                    ({@code Long.MAX_VALUE} when the plan has no cap)
 * @param earnedMinor what the rules computed
 * @param paidMinor   what is paid: {@code min(earned, limit)}, exactly
 */
public record CapOutcome(long limitMinor, long earnedMinor, long paidMinor) {

    public boolean applied() {
        return paidMinor < earnedMinor;
    }

    /** paid / earned (1 when nothing was scaled), to 16 significant digits, for display only. */
    public BigDecimal factor() {
        if (!applied()) {
            return BigDecimal.ONE;
        }
        return BigDecimal.valueOf(paidMinor).divide(BigDecimal.valueOf(earnedMinor), MathContext.DECIMAL64);
    }
}
