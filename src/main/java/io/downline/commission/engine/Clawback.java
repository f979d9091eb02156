package io.downline.commission.engine;

import java.math.BigInteger;

/**
 * The negative adjustment a refund makes to a paid commission line, by cumulative rounding: after refunds of
 * {@code r} out of {@code total} volume, floor(paid * r / total) has been taken back in all. Each refund takes back the
 * growth of that figure, so partial refunds add up exactly to the line once everything is refunded, whatever the
 * order or size of the parts (three one-third refunds of 100.00: -33.33, -33.33, -33.34).
 */
public final class Clawback {

    private Clawback() {
    }

    /**
     * @param paidMinor        what the line paid (after the payout cap)
     * @param refundedBefore   volume of the source order refunded by earlier refunds
     * @param refundedNow      volume this refund returns
     * @param totalVolume      the source order's volume
     * @return the adjustment, zero or negative, in minor units
     */
    public static long amountMinor(long paidMinor, long refundedBefore, long refundedNow, long totalVolume) {
        if (paidMinor < 0 || refundedBefore < 0 || refundedNow < 0 || totalVolume <= 0
                || refundedBefore + refundedNow > totalVolume) {
            throw new IllegalArgumentException("refunds are non-negative parts of a positive volume, at most all of it");
        }
        return takenBack(paidMinor, refundedBefore, totalVolume)
                - takenBack(paidMinor, refundedBefore + refundedNow, totalVolume);
    }

    private static long takenBack(long paid, long refunded, long total) {
        return BigInteger.valueOf(paid).multiply(BigInteger.valueOf(refunded))
                .divide(BigInteger.valueOf(total)).longValueExact();
    }
}
