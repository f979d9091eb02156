package io.downline.genealogy.app;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.downline.genealogy.api.Tree;
import io.downline.genealogy.store.BulkLoads;

/**
 * The safety valve of the labels: rebuilds a whole tree's labels and depths from its parent pointers, evenly spread,
 * in one transaction that holds off every writer of the trees (readers keep reading the old labels until the commit).
 * Only rows whose labels or depth change are written: a few in place, through a staging table and one UPDATE; many by
 * writing tree_node into a new table and swapping it in, since rewriting most rows in place costs new entries in all
 * nine indexes row by row (docs/genealogy.md, "Full relabel").
 */
@ApplicationScoped
public class TreeMaintenance {

    private static final Logger LOG = Logger.getLogger(TreeMaintenance.class);

    @Schema(name = "RelabelResult", description = "What a full relabel did")
    public record RelabelResult(@Schema(required = true, example = "PLACEMENT") Tree tree, @Schema(required = true, example = "1000000") int nodes,
            @Schema(required = true, example = "21500") long millis) {
    }

    /** More changed rows than one in this many of the tree's: swap a new table in rather than update in place. */
    static final int SWAP_WHEN_ONE_IN = 4;

    private final BulkLoads bulk;

    public TreeMaintenance(BulkLoads bulk) {
        this.bulk = bulk;
    }

    public Uni<RelabelResult> relabel(Tree tree) {
        long started = System.nanoTime();
        // JDBC blocks, and labelling a million nodes takes a while: on a worker, never the event loop
        return Uni.createFrom().item(() -> relabelNow(tree)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(changed -> {
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    LOG.infof("Relabelled the %s tree: %d nodes (%d changed) in %d ms", tree, changed[0], changed[1], millis);
                    return new RelabelResult(tree, (int) changed[0], millis);
                });
    }

    /** Nodes and rows changed. */
    private long[] relabelNow(Tree tree) {
        try {
            if (!bulk.dropSwappedOut()) {
                throw new IllegalStateException("The table an earlier relabel swapped out is still in use; try again later");
            }
            long[] changed = relabelInOneTransaction(tree);
            if (!bulk.dropSwappedOut()) {
                LOG.warnf("The table the relabel of the %s tree swapped out is still in use: the next relabel drops it", tree);
            }
            return changed;
        } catch (SQLException e) {
            throw new IllegalStateException("The relabel of the " + tree + " tree failed", e);
        }
    }

    private long[] relabelInOneTransaction(Tree tree) throws SQLException {
        try (Connection conn = bulk.transaction()) {
            try {
                bulk.lockForRelabel(conn);
                BulkLoads.TreeRows rows = bulk.treeRows(conn, tree);
                long[] ids = rows.ids();
                int[] parent = new int[ids.length];
                for (int k = 0; k < ids.length; k++) {
                    long p = rows.parentIds()[k];
                    parent[k] = p == Long.MIN_VALUE ? -1 : Arrays.binarySearch(ids, p);
                }
                TreeLabeler.Labels labels = TreeLabeler.label(parent, rows.positions());
                int[] changed = IntStream.range(0, ids.length).filter(k -> labels.lo()[k] != rows.lo()[k] || labels.hi()[k] != rows.hi()[k]
                        || labels.depth()[k] != rows.depth()[k]).toArray();
                if (changed.length > ids.length / SWAP_WHEN_ONE_IN) {
                    bulk.swapLabels(conn, tree, ids, labels.lo(), labels.hi(), labels.depth());
                } else if (changed.length > 0) {
                    bulk.updateLabels(conn, tree, ids, labels.lo(), labels.hi(), labels.depth(), changed);
                } else {
                    bulk.refitBuckets(conn, tree); // a tree grown by registrations keeps the buckets of its first size
                }
                conn.commit();
                return new long[] { ids.length, changed.length };
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        }
    }
}
