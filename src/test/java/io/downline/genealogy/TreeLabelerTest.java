package io.downline.genealogy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import io.downline.genealogy.app.TreeLabeler;

class TreeLabelerTest {

    @Test
    void labelsNestLikeTheTreeAndOrderSiblingsByPosition() {
        //        0
        //      /   \
        //     2     1      (node 1 has position 1, node 2 position 0)
        //    /
        //   3
        int[] parent = { -1, 0, 0, 2 };
        int[] position = { 0, 1, 0, 0 };
        TreeLabeler.Labels labels = TreeLabeler.label(parent, position);
        assertEquals(TreeLabeler.MIN_LABEL, labels.lo()[0]);
        assertTrue(labels.hi()[0] <= TreeLabeler.MAX_LABEL);
        assertTrue(labels.hi()[2] < labels.lo()[1], "position 0 comes before position 1");
        assertTrue(labels.lo()[2] < labels.lo()[3] && labels.hi()[3] < labels.hi()[2], "3 nests inside 2");
        assertEquals(2, labels.depth()[3]);
        assertEquals(2, labels.children()[0]);
    }

    @Test
    void aMillionNodeChainGetsDistinctNestedLabels() {
        int n = 1_000_000;
        int[] parent = new int[n];
        int[] position = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i - 1;
        }
        TreeLabeler.Labels labels = TreeLabeler.label(parent, position);
        for (int i = 1; i < n; i++) {
            assertTrue(labels.lo()[i - 1] < labels.lo()[i] && labels.hi()[i] < labels.hi()[i - 1], "node " + i);
        }
        assertEquals(n - 1, labels.depth()[n - 1]);
    }

    @Test
    void randomTreesKeepEveryChildInsideItsParent() {
        Random random = new Random(7);
        int n = 50_000;
        int[] parent = new int[n];
        int[] position = new int[n];
        parent[0] = -1;
        for (int i = 1; i < n; i++) {
            parent[i] = random.nextInt(i);
            position[i] = i;
        }
        TreeLabeler.Labels labels = TreeLabeler.label(parent, position);
        for (int i = 1; i < n; i++) {
            int p = parent[i];
            assertTrue(labels.lo()[p] < labels.lo()[i] && labels.hi()[i] < labels.hi()[p]);
            assertEquals(labels.depth()[p] + 1, labels.depth()[i]);
        }
    }

    @Test
    void refusesForestsAndCycles() {
        assertThrows(IllegalArgumentException.class, () -> TreeLabeler.label(new int[] { -1, -1 }, new int[2]));
        assertThrows(IllegalArgumentException.class, () -> TreeLabeler.label(new int[] { 1, 0 }, new int[2]));
        assertThrows(IllegalArgumentException.class, () -> TreeLabeler.label(new int[] { -1, 2, 1 }, new int[3]));
    }
}
