package io.downline.genealogy.api;

/** The two trees every distributor is in. The numbers are the tree column of tree_node. */
public enum Tree {
    SPONSOR(1), PLACEMENT(2);

    public final short id;

    Tree(int id) {
        this.id = (short) id;
    }
}
