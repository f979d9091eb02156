package io.downline.genealogy.app;

import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.downline.genealogy.api.Tree;
import io.downline.genealogy.store.GenealogyRepository;

/**
 * The safety valve of the labels: rebuilds a whole tree's labels and depths from its parent pointers, evenly spread,
 * under the tree's lock. Readers keep working (they see the old labels until the commit).
 */
@ApplicationScoped
public class TreeMaintenance {

    private static final Logger LOG = Logger.getLogger(TreeMaintenance.class);
    static final int BATCH = 20_000;

    @Schema(name = "RelabelResult", description = "What a full relabel did")
    public record RelabelResult(@Schema(required = true, example = "PLACEMENT") Tree tree, @Schema(required = true, example = "1000000") int nodes,
            @Schema(required = true, example = "21500") long millis) {
    }

    private final GenealogyRepository repository;

    public TreeMaintenance(GenealogyRepository repository) {
        this.repository = repository;
    }

    public Uni<RelabelResult> relabel(Tree tree) {
        long started = System.nanoTime();
        return repository.pool().withTransaction(conn -> repository.lockTree(conn, tree)
                .chain(() -> conn.preparedQuery("select node_id, parent_id, position from genealogy.tree_node where tree = $1 order by node_id")
                        .execute(Tuple.of(tree.id)))
                // Copying a million rows and computing their labels takes seconds: on a worker, never the event loop.
                .chain(rows -> Uni.createFrom().item(() -> computeLabels(rows)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .chain(computed -> writeLabels(conn, tree, computed.ids(), computed.labels()).replaceWith(computed.ids().length)))
                .map(n -> {
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    LOG.infof("Relabelled the %s tree: %d nodes in %d ms", tree, n, millis);
                    return new RelabelResult(tree, n, millis);
                });
    }

    private record Computed(long[] ids, TreeLabeler.Labels labels) {
    }

    private static Computed computeLabels(io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> rows) {
        int n = rows.rowCount();
        long[] ids = new long[n];
        long[] parentIds = new long[n];
        int[] position = new int[n];
        int i = 0;
        for (var row : rows) {
            ids[i] = row.getLong("node_id");
            Long parent = row.getLong("parent_id");
            parentIds[i] = parent == null ? Long.MIN_VALUE : parent;
            Integer pos = row.getInteger("position");
            position[i++] = pos == null ? 0 : pos;
        }
        int[] parent = new int[n];
        for (int k = 0; k < n; k++) {
            parent[k] = parentIds[k] == Long.MIN_VALUE ? -1 : Arrays.binarySearch(ids, parentIds[k]);
        }
        return new Computed(ids, TreeLabeler.label(parent, position));
    }

    /** Writes labels and depths in batches of set-based updates. */
    static Uni<Void> writeLabels(SqlClient conn, Tree tree, long[] ids, TreeLabeler.Labels labels) {
        int batches = (ids.length + BATCH - 1) / BATCH;
        return Multi.createFrom().range(0, batches).onItem().transformToUniAndConcatenate(b -> {
            int from = b * BATCH;
            int to = Math.min(ids.length, from + BATCH);
            return conn.preparedQuery("""
                    update genealogy.tree_node t set lo = u.lo, hi = u.hi, depth = u.depth
                      from unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::int[]) as u(id, lo, hi, depth)
                     where t.tree = $1 and t.node_id = u.id""")
                    .execute(Tuple.of(tree.id, boxed(ids, from, to), boxed(labels.lo(), from, to), boxed(labels.hi(), from, to),
                            boxed(labels.depth(), from, to)));
        }).collect().last().replaceWithVoid();
    }

    static Long[] boxed(long[] values, int from, int to) {
        Long[] boxed = new Long[to - from];
        for (int i = from; i < to; i++) {
            boxed[i - from] = values[i];
        }
        return boxed;
    }

    static Integer[] boxed(int[] values, int from, int to) {
        Integer[] boxed = new Integer[to - from];
        for (int i = from; i < to; i++) {
            boxed[i - from] = values[i];
        }
        return boxed;
    }
}
