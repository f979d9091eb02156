package io.downline.commission.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The what-if simulator's core: the draft plan is closed over the same snapshot by the same
 * {@link PeriodCloseEngine#close} that computes actual closes, then compared. Nothing is paid.
 */
public final class WhatIf {

    private WhatIf() {
    }

    /** Replays {@code snapshot} under {@code draft} and compares it with the close that paid ({@code actual}). */
    public static WhatIfReport replay(CompPlan draft, PeriodSnapshot snapshot, CloseResult actual, int top) {
        if (actual.snapshot() != snapshot) {
            throw new IllegalArgumentException("the actual close must be of the same snapshot");
        }
        return compare(actual, PeriodCloseEngine.close(draft, snapshot), top);
    }

    /** Compares two closes of one snapshot; {@code top} members at most in each of gainers and losers. */
    public static WhatIfReport compare(CloseResult actual, CloseResult draft, int top) {
        if (actual.snapshot() != draft.snapshot()) {
            throw new IllegalArgumentException("both closes must be of the same snapshot");
        }
        if (top < 0) {
            throw new IllegalArgumentException("top may not be negative");
        }
        long[] before = actual.payoutByMember();
        long[] after = draft.payoutByMember();
        long[] ids = actual.snapshot().memberId();
        List<MemberDelta> gainers = largest(before, after, ids, top, 1);
        List<MemberDelta> losers = largest(before, after, ids, top, -1);
        return new WhatIfReport(PayoutStatistics.of(actual), PayoutStatistics.of(draft), gainers, losers);
    }

    /** The {@code top} largest deltas in the given direction (1: gains, -1: losses); ties: the earlier position. */
    private static List<MemberDelta> largest(long[] before, long[] after, long[] ids, int top, int direction) {
        Comparator<Integer> byChange = Comparator.<Integer>comparingLong(i -> direction * (after[i] - before[i]))
                .thenComparing(Comparator.<Integer>naturalOrder().reversed());
        PriorityQueue<Integer> kept = new PriorityQueue<>(byChange);
        for (int i = 0; i < before.length && top > 0; i++) {
            if (direction * (after[i] - before[i]) <= 0) {
                continue;
            }
            kept.add(i);
            if (kept.size() > top) {
                kept.poll();
            }
        }
        List<MemberDelta> out = new ArrayList<>(kept.size());
        while (!kept.isEmpty()) {
            int i = kept.poll();
            out.add(0, new MemberDelta(ids[i], before[i], after[i]));
        }
        return out;
    }
}
