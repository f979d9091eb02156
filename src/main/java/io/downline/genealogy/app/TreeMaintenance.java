package io.downline.genealogy.app;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.downline.genealogy.api.Tree;
import io.downline.genealogy.store.BulkLoads;

/**
 * The safety valve of the labels: rebuilds a whole tree's labels and depths from its parent pointers, evenly spread,
 * under the tree's lock, in one transaction. The new labels go in through COPY into a staging table and one UPDATE
 * that rewrites only the rows whose labels change. Readers keep working (they see the old labels until the commit).
 */
@ApplicationScoped
public class TreeMaintenance {

    private static final Logger LOG = Logger.getLogger(TreeMaintenance.class);

    @Schema(name = "RelabelResult", description = "What a full relabel did")
    public record RelabelResult(@Schema(required = true, example = "PLACEMENT") Tree tree, @Schema(required = true, example = "1000000") int nodes,
            @Schema(required = true, example = "21500") long millis) {
    }

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
        try (Connection conn = bulk.transaction()) {
            try {
                bulk.lockTree(conn, tree);
                BulkLoads.Pointers pointers = bulk.pointers(conn, tree);
                long[] ids = pointers.ids();
                int[] parent = new int[ids.length];
                for (int k = 0; k < ids.length; k++) {
                    long p = pointers.parentIds()[k];
                    parent[k] = p == Long.MIN_VALUE ? -1 : Arrays.binarySearch(ids, p);
                }
                TreeLabeler.Labels labels = TreeLabeler.label(parent, pointers.positions());
                long changed = bulk.writeLabels(conn, tree, ids, labels.lo(), labels.hi(), labels.depth());
                conn.commit();
                return new long[] { ids.length, changed };
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The relabel of the " + tree + " tree failed", e);
        }
    }
}
