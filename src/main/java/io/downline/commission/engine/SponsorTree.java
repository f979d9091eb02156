package io.downline.commission.engine;

/** The sponsor tree of a snapshot as child lists in flat arrays, with a pre-order walk of it (sponsors first). */
final class SponsorTree {

    /** Children of position i are {@code children[start[i] .. start[i+1])}. */
    final int[] start;
    final int[] children;
    /** Positions in sponsor-tree pre-order: a sponsor always comes before everyone they sponsored. */
    final int[] order;

    private SponsorTree(int[] start, int[] children, int[] order) {
        this.start = start;
        this.children = children;
        this.order = order;
    }

    static SponsorTree of(int[] sponsor) {
        int n = sponsor.length;
        int[] start = new int[n + 1];
        for (int s : sponsor) {
            if (s >= 0) {
                start[s + 1]++;
            }
        }
        for (int i = 0; i < n; i++) {
            start[i + 1] += start[i];
        }
        int[] next = new int[n];
        System.arraycopy(start, 0, next, 0, n);
        int[] children = new int[start[n]];
        for (int i = 0; i < n; i++) {
            if (sponsor[i] >= 0) {
                children[next[sponsor[i]]++] = i;
            }
        }
        int[] order = new int[n];
        int[] stack = new int[n];
        int visited = 0;
        for (int root = 0; root < n; root++) {
            if (sponsor[root] >= 0) {
                continue;
            }
            int top = 0;
            stack[top++] = root;
            while (top > 0) {
                int i = stack[--top];
                order[visited++] = i;
                for (int k = start[i + 1] - 1; k >= start[i]; k--) {
                    stack[top++] = children[k];
                }
            }
        }
        if (visited != n) {
            throw new IllegalArgumentException("the sponsor tree has a cycle: " + (n - visited)
                    + " members never reach a root");
        }
        return new SponsorTree(start, children, order);
    }
}
