package io.downline.bench;

import java.util.SplittableRandom;

import io.downline.commission.engine.PeriodSnapshot;

/**
 * A period's snapshot over a {@link SpilloverNetwork} (binary placement by spillover, deep outer lines, a random
 * sponsor tree), renumbered into placement pre-order, with the volume of {@code orders} random paid orders: each
 * 50 to 499 PV at 10.00 of BV per PV, bought by a random member. About 80 % of members are active, 90 % KYC-verified;
 * a few carry volume in from the period before and hold a rank already.
 */
public final class SyntheticPeriod {

    private SyntheticPeriod() {
    }

    public static PeriodSnapshot generate(int members, long orders, long seed) {
        SpilloverNetwork net = SpilloverNetwork.generate(members, seed);
        int n = net.n;
        int[] order = new int[n];
        int[] position = new int[n];
        int[] stack = new int[n];
        int top = 0;
        int next = 0;
        stack[top++] = 0;
        while (top > 0) {
            int i = stack[--top];
            position[i] = next;
            order[next++] = i;
            if (net.right[i] >= 0) {
                stack[top++] = net.right[i];
            }
            if (net.left[i] >= 0) {
                stack[top++] = net.left[i];
            }
        }
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        long[] memberId = new long[n];
        int[] parent = new int[n];
        byte[] side = new byte[n];
        int[] sponsor = new int[n];
        long[] carryLeft = new long[n];
        long[] carryRight = new long[n];
        int[] highestRank = new int[n];
        boolean[] pairedBefore = new boolean[n];
        boolean[] active = new boolean[n];
        boolean[] kyc = new boolean[n];
        for (int p = 0; p < n; p++) {
            int i = order[p];
            memberId[p] = 1_000_000L + i;
            parent[p] = net.parent[i] < 0 ? -1 : position[net.parent[i]];
            side[p] = net.side[i];
            sponsor[p] = net.sponsor[i] < 0 ? -1 : position[net.sponsor[i]];
            active[p] = random.nextInt(10) < 8;
            kyc[p] = random.nextInt(10) < 9;
            boolean veteran = random.nextInt(20) == 0;
            carryLeft[p] = veteran ? random.nextInt(2_000) : 0;
            carryRight[p] = veteran ? random.nextInt(2_000) : 0;
            highestRank[p] = veteran ? random.nextInt(3) - 1 : -1;
            pairedBefore[p] = veteran;
        }
        long[] pv = new long[n];
        long[] bv = new long[n];
        for (long o = 0; o < orders; o++) {
            int buyer = random.nextInt(n);
            long points = 50 + random.nextInt(450);
            pv[buyer] += points;
            bv[buyer] += points * 1_000;
        }
        return new PeriodSnapshot("synthetic-" + seed, memberId, parent, side, sponsor, pv, bv, carryLeft, carryRight,
                highestRank, pairedBefore, active, kyc, 0);
    }
}
