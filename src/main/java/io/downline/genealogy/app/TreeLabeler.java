package io.downline.genealogy.app;

import java.util.Arrays;

/**
 * Computes a whole tree's interval labels from parent pointers, evenly spread over the label space: the full relabel
 * and the bulk import. Pure computation over arrays, a few hundred milliseconds for a million nodes.
 */
public final class TreeLabeler {

    public static final long MIN_LABEL = -4611686018427387904L;
    public static final long MAX_LABEL = 4611686018427387903L;

    public record Labels(long[] lo, long[] hi, int[] depth, int[] children) {
    }

    private TreeLabeler() {
    }

    /**
     * @param parent   index of each node's parent, -1 for the root
     * @param position each node's position among its siblings (they are ordered by it)
     * @throws IllegalArgumentException when there is not exactly one root or some node is not below it (a cycle)
     */
    public static Labels label(int[] parent, int[] position) {
        int n = parent.length;
        int root = -1;
        int[] children = new int[n];
        for (int i = 0; i < n; i++) {
            if (parent[i] < 0) {
                if (root >= 0) {
                    throw new IllegalArgumentException("more than one root");
                }
                root = i;
            } else {
                children[parent[i]]++;
            }
        }
        if (root < 0) {
            throw new IllegalArgumentException(n == 0 ? "no members" : "no root: every member has a parent, so there is a cycle");
        }
        int[] start = new int[n + 1];
        for (int i = 0; i < n; i++) {
            start[i + 1] = start[i] + children[i];
        }
        // children of each node, consecutive and ordered by position (ties by index): bucketed by parent in index order,
        // then each bucket put in position order, which it usually is already
        int[] order = new int[start[n]];
        int[] fill = Arrays.copyOf(start, n);
        for (int i = 0; i < n; i++) {
            if (parent[i] >= 0) {
                order[fill[parent[i]]++] = i;
            }
        }
        for (int p = 0; p < n; p++) {
            sortByPosition(order, start[p], start[p + 1], position);
        }

        long[] lo = new long[n];
        long[] hi = new long[n];
        int[] depth = new int[n];
        int[] next = Arrays.copyOf(start, n);
        int[] stack = new int[n];
        int top = 0;
        long rank = 0;
        long spacing = n == 1 ? MAX_LABEL - MIN_LABEL : (MAX_LABEL - MIN_LABEL) / (2L * n - 1);
        stack[top++] = root;
        lo[root] = MIN_LABEL;
        rank++;
        int visited = 1;
        while (top > 0) {
            int node = stack[top - 1];
            if (next[node] < start[node + 1]) {
                int child = order[next[node]++];
                lo[child] = MIN_LABEL + rank++ * spacing;
                depth[child] = depth[node] + 1;
                stack[top++] = child;
                visited++;
            } else {
                hi[node] = MIN_LABEL + rank++ * spacing;
                top--;
            }
        }
        if (visited != n) {
            throw new IllegalArgumentException((n - visited) + " members are not below the root: their parents form a cycle");
        }
        return new Labels(lo, hi, depth, children);
    }

    private static void sortByPosition(int[] order, int from, int to, int[] position) {
        boolean sorted = true;
        for (int k = from + 1; k < to && sorted; k++) {
            sorted = position[order[k - 1]] <= position[order[k]];
        }
        if (sorted) {
            return;
        }
        long[] keys = new long[to - from];
        for (int k = from; k < to; k++) {
            keys[k - from] = (long) position[order[k]] << 32 | order[k];
        }
        Arrays.sort(keys);
        for (int k = from; k < to; k++) {
            order[k] = (int) keys[k - from];
        }
    }
}
