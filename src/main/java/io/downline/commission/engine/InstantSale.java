package io.downline.commission.engine;

import java.util.List;

/**
 * A paid order as the instant engine sees it.
 *
 * @param orderRef     the order (carried into every line's trace)
 * @param buyerId      the member who bought
 * @param bv           the order's business volume, in minor units
 * @param pv           the order's point volume
 * @param firstOrder   whether it is the buyer's first paid order (the sponsor bonus pays only on it)
 * @param upline       the buyer's sponsor upline, nearest first (the direct sponsor is element 0); as deep as the
 *                     plan's level depth plus however many unqualified members compression may skip
 */
public record InstantSale(String orderRef, long buyerId, long bv, long pv, boolean firstOrder,
        List<UplineMember> upline) {

    public InstantSale {
        if (bv < 0 || pv < 0) {
            throw new IllegalArgumentException("volumes may not be negative");
        }
        upline = List.copyOf(upline);
    }
}
