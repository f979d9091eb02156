package io.downline.commission.engine;

/**
 * A period's tree and volumes, held in arrays indexed by the member's position in a pre-order walk of the placement
 * tree (so a member's placement subtree is the positions {@code [i, i + size)}). The arrays are used as given, not
 * copied: do not change them while a close runs.
 *
 * @param periodRef      the period (carried into the traces of period bonuses)
 * @param memberId       member id at each position
 * @param parent         placement parent's position, always smaller than the child's; -1 for a root
 * @param side           0 when placed in the parent's left leg, 1 for the right leg (ignored for roots)
 * @param sponsor        sponsor's position, -1 for none
 * @param pv             personal point volume paid in the period (refunds within the period already taken off)
 * @param bv             personal business volume paid in the period, in minor units
 * @param carryLeft      binary volume carried into the period in the left leg
 * @param carryRight     binary volume carried into the period in the right leg
 * @param highestRank    highest rank achieved before the period, as an index into the plan's rank table; -1 for none
 * @param pairedBefore   whether the member has had a binary pair before (for a 1:2 / 2:1 first pair)
 * @param active         active status at the end of the period
 * @param kycVerified    KYC verified at the end of the period
 * @param instantPaidMinor instant bonuses already paid in the period; they count against the payout cap
 */
public record PeriodSnapshot(
        String periodRef,
        long[] memberId,
        int[] parent,
        byte[] side,
        int[] sponsor,
        long[] pv,
        long[] bv,
        long[] carryLeft,
        long[] carryRight,
        int[] highestRank,
        boolean[] pairedBefore,
        boolean[] active,
        boolean[] kycVerified,
        long instantPaidMinor) {

    public static final byte LEFT = 0;
    public static final byte RIGHT = 1;

    public PeriodSnapshot {
        int n = memberId.length;
        if (parent.length != n || side.length != n || sponsor.length != n || pv.length != n || bv.length != n
                || carryLeft.length != n || carryRight.length != n || highestRank.length != n
                || pairedBefore.length != n || active.length != n || kycVerified.length != n) {
            throw new IllegalArgumentException("every array of a snapshot has one element per member");
        }
        if (instantPaidMinor < 0) {
            throw new IllegalArgumentException("instant bonuses paid may not be negative");
        }
        for (int i = 0; i < n; i++) {
            if (parent[i] >= i || parent[i] < -1) {
                throw new IllegalArgumentException("position " + i + ": a placement parent comes before its child "
                        + "in pre-order");
            }
            if (sponsor[i] == i || sponsor[i] < -1 || sponsor[i] >= n) {
                throw new IllegalArgumentException("position " + i + ": sponsor is not another member");
            }
            if (side[i] != LEFT && side[i] != RIGHT) {
                throw new IllegalArgumentException("position " + i + ": side is 0 (left) or 1 (right)");
            }
            if (pv[i] < 0 || bv[i] < 0 || carryLeft[i] < 0 || carryRight[i] < 0) {
                throw new IllegalArgumentException("position " + i + ": volumes may not be negative");
            }
        }
    }

    public int size() {
        return memberId.length;
    }

    /** The company's BV of the period: every member's paid BV. */
    public long companyBv() {
        long total = 0;
        for (long v : bv) {
            total = Math.addExact(total, v);
        }
        return total;
    }
}
