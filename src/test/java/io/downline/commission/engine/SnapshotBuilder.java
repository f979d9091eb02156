package io.downline.commission.engine;

import java.util.ArrayList;
import java.util.List;

/** Builds a snapshot member by member, in placement pre-order; member ids are 1000 + position. */
final class SnapshotBuilder {

    private final List<long[]> rows = new ArrayList<>();
    private final List<Boolean> paired = new ArrayList<>();
    private final List<Boolean> active = new ArrayList<>();
    private long instantPaid;

    /** Adds a member; returns its position. Volumes: pv, bv; carry-in left and right. */
    int add(int parent, byte side, int sponsor, long pv, long bv) {
        rows.add(new long[] { parent, side, sponsor, pv, bv, 0, 0, -1 });
        paired.add(false);
        active.add(true);
        return rows.size() - 1;
    }

    int root(long pv) {
        return add(-1, PeriodSnapshot.LEFT, -1, pv, pv);
    }

    SnapshotBuilder carry(int position, long left, long right) {
        rows.get(position)[5] = left;
        rows.get(position)[6] = right;
        return this;
    }

    SnapshotBuilder highestRank(int position, int rank) {
        rows.get(position)[7] = rank;
        return this;
    }

    SnapshotBuilder pairedBefore(int position) {
        paired.set(position, true);
        return this;
    }

    SnapshotBuilder inactive(int position) {
        active.set(position, false);
        return this;
    }

    SnapshotBuilder instantPaid(long minor) {
        instantPaid = minor;
        return this;
    }

    PeriodSnapshot build() {
        int n = rows.size();
        long[] ids = new long[n];
        int[] parent = new int[n];
        byte[] side = new byte[n];
        int[] sponsor = new int[n];
        long[] pv = new long[n];
        long[] bv = new long[n];
        long[] carryLeft = new long[n];
        long[] carryRight = new long[n];
        int[] highest = new int[n];
        boolean[] pairedBefore = new boolean[n];
        boolean[] isActive = new boolean[n];
        for (int i = 0; i < n; i++) {
            long[] r = rows.get(i);
            ids[i] = 1000 + i;
            parent[i] = (int) r[0];
            side[i] = (byte) r[1];
            sponsor[i] = (int) r[2];
            pv[i] = r[3];
            bv[i] = r[4];
            carryLeft[i] = r[5];
            carryRight[i] = r[6];
            highest[i] = (int) r[7];
            pairedBefore[i] = paired.get(i);
            isActive[i] = active.get(i);
        }
        return new PeriodSnapshot("2026-W49", ids, parent, side, sponsor, pv, bv, carryLeft, carryRight, highest,
                pairedBefore, isActive, isActive.clone(), instantPaid);
    }
}
