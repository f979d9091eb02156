package io.downline.genealogy;

/** A distributor's place in one tree: its interval [lo, hi] contains exactly its downline's labels. */
record TreeNode(long id, String memberCode, Long parentId, Integer position, int depth, long lo, long hi, int children, int freeMask) {

    boolean contains(TreeNode other) {
        return lo <= other.lo && other.lo <= hi;
    }
}
