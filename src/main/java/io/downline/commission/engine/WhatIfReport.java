package io.downline.commission.engine;

import java.util.List;

/**
 * A draft plan replayed over a closed period, next to the plan that paid it.
 *
 * @param gainers the members who would gain most under the draft, largest gain first (only positive deltas)
 * @param losers  the members who would lose most, largest loss first (only negative deltas)
 */
public record WhatIfReport(PayoutStatistics actual, PayoutStatistics draft, List<MemberDelta> gainers,
        List<MemberDelta> losers) {

    public WhatIfReport {
        gainers = List.copyOf(gainers);
        losers = List.copyOf(losers);
    }

    public long totalDeltaMinor() {
        return draft.totalPaidMinor() - actual.totalPaidMinor();
    }
}
