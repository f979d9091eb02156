package io.downline.genealogy.store;

/** A distributor's place in one tree: its interval [lo, hi] contains exactly its downline's labels. */
public record TreeNode(long id, String memberCode, Long parentId, Integer position, int depth, long lo, long hi, int children, int freeMask) {

    public boolean contains(TreeNode other) {
        return lo <= other.lo && other.lo <= hi;
    }
}
