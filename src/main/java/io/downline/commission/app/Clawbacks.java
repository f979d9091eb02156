package io.downline.commission.app;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Cumulative rounding of clawbacks: after refunds that together returned {@code returned} of an order's {@code orderBv},
 * a line of {@code amount} has had exactly round(amount x returned / orderBv) taken back. Each refund takes the
 * difference from what was taken before, so three one-third refunds of 100.00 take 33.33, 33.33 and 33.34 in any order,
 * and a full refund always takes back the whole amount.
 */
final class Clawbacks {

    private Clawbacks() {
    }

    /** The total (positive, minor units) that should have been clawed back from the line so far. */
    static long cumulative(long amount, long returned, long orderBv) {
        if (orderBv <= 0 || returned <= 0) {
            return 0;
        }
        if (returned >= orderBv) {
            return amount;
        }
        return BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(returned))
                .divide(BigDecimal.valueOf(orderBv), 0, RoundingMode.HALF_UP).longValueExact();
    }
}
