package io.downline.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A binary network grown by spillover, one member at a time, in memory. Member i (i >= 1) picks a sponsor uniformly at
 * random among the members 0..i-1 who joined before, and is placed extreme-left or extreme-right (50/50) under the
 * sponsor: at the bottom of the sponsor's outermost left (right) line. The sponsor tree of the same members (each points
 * to its random sponsor) is a random recursive tree: the unilevel tree of the measurements.
 *
 * <p>Line bottoms are found with a jump pointer per node and side, path-compressed to the bottom found, so a line of
 * length L is walked once rather than once per placement below it.
 */
final class SpilloverNetwork {

    final int n;
    /** Index of each member's sponsor, -1 for the root. */
    final int[] sponsor;
    /** Index of each member's placement parent, -1 for the root. */
    final int[] parent;
    /** 0 = left, 1 = right. */
    final byte[] side;
    final int[] depth;
    final int[] sponsorDepth;
    /** Members in each member's subtree, the member included. */
    final int[] placementSize;
    final int[] sponsorSize;
    final int width;
    /** Left and right child of each member in the placement tree, -1 when free. */
    final int[] left;
    final int[] right;

    private SpilloverNetwork(int n) {
        this.n = n;
        sponsor = new int[n];
        parent = new int[n];
        side = new byte[n];
        depth = new int[n];
        sponsorDepth = new int[n];
        placementSize = new int[n];
        sponsorSize = new int[n];
        width = Math.max(7, Integer.toString(n - 1).length());
        left = new int[n];
        right = new int[n];
    }

    static SpilloverNetwork generate(int n, long seed) {
        SpilloverNetwork net = new SpilloverNetwork(n);
        SplittableRandom random = new SplittableRandom(seed);
        int[] left = net.left;
        int[] right = net.right;
        int[] jumpLeft = new int[n];
        int[] jumpRight = new int[n];
        Arrays.fill(left, -1);
        Arrays.fill(right, -1);
        for (int i = 0; i < n; i++) {
            jumpLeft[i] = i;
            jumpRight[i] = i;
        }
        net.sponsor[0] = -1;
        net.parent[0] = -1;
        for (int i = 1; i < n; i++) {
            int s = random.nextInt(i);
            boolean goLeft = random.nextBoolean();
            int p = goLeft ? bottom(s, left, jumpLeft) : bottom(s, right, jumpRight);
            if (goLeft) {
                left[p] = i;
            } else {
                right[p] = i;
            }
            net.sponsor[i] = s;
            net.parent[i] = p;
            net.side[i] = (byte) (goLeft ? 0 : 1);
            net.depth[i] = net.depth[p] + 1;
            net.sponsorDepth[i] = net.sponsorDepth[s] + 1;
        }
        // parents and sponsors always join before their recruits, so one backward pass sums the subtrees
        Arrays.fill(net.placementSize, 1);
        Arrays.fill(net.sponsorSize, 1);
        for (int i = n - 1; i >= 1; i--) {
            net.placementSize[net.parent[i]] += net.placementSize[i];
            net.sponsorSize[net.sponsor[i]] += net.sponsorSize[i];
        }
        return net;
    }

    /** The bottom of the line of s that follows child[] (left or right children), compressing the path walked. */
    private static int bottom(int s, int[] child, int[] jump) {
        int x = s;
        while (true) {
            if (jump[x] != x) {
                x = jump[x];
            } else if (child[x] >= 0) {
                x = child[x];
            } else {
                break;
            }
        }
        int y = s;
        while (y != x) {
            int next = jump[y] != y ? jump[y] : child[y];
            jump[y] = x;
            y = next;
        }
        return x;
    }

    /** For every member, the bottom of its left (side 0) or right (side 1) line: where extreme-left (right) places under it. */
    int[] lineBottoms(int side) {
        int[] child = side == 0 ? left : right;
        int[] bottom = new int[n];
        for (int i = n - 1; i >= 0; i--) { // children join after their parents
            bottom[i] = child[i] < 0 ? i : bottom[child[i]];
        }
        return bottom;
    }

    /** Members in the root's left leg. */
    int leftLeg() {
        return left[0] < 0 ? 0 : placementSize[left[0]];
    }

    String code(int i) {
        char[] c = new char[width + 1];
        c[0] = 'M';
        int v = i;
        for (int k = width; k >= 1; k--) {
            c[k] = (char) ('0' + v % 10);
            v /= 10;
        }
        return new String(c);
    }

    /** The import file: memberCode,sponsor,parent,side, one line per member, in joining order. */
    byte[] csv() {
        StringBuilder out = new StringBuilder(n * (4 * width + 16));
        out.append("memberCode,sponsor,parent,side\n");
        for (int i = 0; i < n; i++) {
            out.append(code(i));
            if (i == 0) {
                out.append(",,,\n");
            } else {
                out.append(',').append(code(sponsor[i])).append(',').append(code(parent[i])).append(side[i] == 0 ? ",LEFT\n" : ",RIGHT\n");
            }
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static int max(int[] values) {
        int max = Integer.MIN_VALUE;
        for (int v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    static double mean(int[] values) {
        double sum = 0;
        for (int v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
