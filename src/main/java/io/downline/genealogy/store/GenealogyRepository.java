package io.downline.genealogy.store;

import io.downline.genealogy.api.NewDistributor;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.downline.genealogy.api.Tree;

/** All genealogy SQL. Methods taking a SqlClient run inside the caller's transaction. */
@ApplicationScoped
public class GenealogyRepository {

    /** Advisory lock class of tree writes: placements and relabels of one tree run one at a time. */
    private static final int TREE_LOCK = 7130;

    private static final String NODE_COLUMNS = "d.id, d.member_code, t.parent_id, t.position, t.depth, t.lo, t.hi, t.children, t.free_mask";

    private final Pool pool;

    public GenealogyRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    // ---- writes -------------------------------------------------------------------------------------------------

    public Uni<Void> lockTree(SqlClient conn, Tree tree) {
        return conn.preparedQuery("select pg_advisory_xact_lock($1, $2)").execute(Tuple.of(TREE_LOCK, (int) tree.id)).replaceWithVoid();
    }

    public Uni<Long> nextMemberNumber(SqlClient conn) {
        return conn.query("select nextval('genealogy.member_number_seq') as n").execute().map(rows -> rows.iterator().next().getLong("n"));
    }

    public Uni<Void> insertDistributor(SqlClient conn, long id, UUID userId, String memberCode, String referralCode, Long sponsorId,
            NewDistributor details, java.time.OffsetDateTime placementDue, String registrationKey) {
        return conn.preparedQuery("""
                insert into genealogy.distributor (id, user_id, member_code, referral_code, sponsor_id, full_name, email, phone, state_code,
                                         placement_due, search_name, registration_key)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""")
                .execute(Tuple.tuple().addLong(id).addUUID(userId).addString(memberCode).addString(referralCode).addLong(sponsorId)
                        .addString(details.fullName()).addString(details.email()).addString(details.phone())
                        .addString(details.stateCode()).addOffsetDateTime(placementDue)
                        .addString(searchable(details.fullName())).addString(registrationKey))
                .replaceWithVoid();
    }

    public record Tanked(long id, String memberCode, Long sponsorId, java.time.OffsetDateTime placementDue) {
    }

    /** A member waiting in the holding tank, locked for placing; null when there is none by that code. */
    public Uni<Tanked> tanked(SqlClient conn, String memberCode) {
        return conn.preparedQuery("select id, member_code, sponsor_id, placement_due from genealogy.distributor where member_code = $1 for update")
                .execute(Tuple.of(memberCode))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Tanked(row.getLong("id"), row.getString("member_code"), row.getLong("sponsor_id"),
                            row.getOffsetDateTime("placement_due"));
                });
    }

    public Uni<List<String>> duePlacements(int limit) {
        return pool.preparedQuery("select member_code from genealogy.distributor where placement_due <= now() order by placement_due limit $1")
                .execute(Tuple.of(limit)).map(rows -> list(rows, row -> row.getString("member_code")));
    }

    public Uni<Void> clearPlacementDue(SqlClient conn, long id) {
        return conn.preparedQuery("update genealogy.distributor set placement_due = null where id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    /** Inserts the node under parent (null: the root) at position (null: after the last child); returns the position. */
    public Uni<Integer> insertNode(SqlClient conn, Tree tree, long node, Long parent, Integer position, Integer width) {
        return conn.preparedQuery("select genealogy.tree_insert($1, $2, $3, $4, $5) as position")
                .execute(Tuple.tuple().addShort(tree.id).addLong(node).addLong(parent).addInteger(position).addInteger(width))
                .map(rows -> rows.iterator().next().getInteger("position"));
    }

    public Uni<Void> audit(SqlClient conn, String action, long node, io.vertx.core.json.JsonObject detail, String reason, String actor) {
        return conn.preparedQuery("insert into genealogy.genealogy_audit (action, node_id, detail, reason, actor) values ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(action, node, detail, reason, actor)).replaceWithVoid();
    }

    // ---- lookups ------------------------------------------------------------------------------------------------

    public Uni<TreeNode> nodeByCode(SqlClient conn, Tree tree, String memberCode) {
        return one(conn.preparedQuery("select " + NODE_COLUMNS + " from genealogy.distributor d join genealogy.tree_node t on t.node_id = d.id and t.tree = $1"
                + " where d.member_code = $2").execute(Tuple.of(tree.id, memberCode)));
    }

    public Uni<TreeNode> nodeById(SqlClient conn, Tree tree, long id) {
        return one(conn.preparedQuery("select " + NODE_COLUMNS + " from genealogy.distributor d join genealogy.tree_node t on t.node_id = d.id and t.tree = $1"
                + " where d.id = $2").execute(Tuple.of(tree.id, id)));
    }

    public Uni<TreeNode> nodeOfUser(SqlClient conn, Tree tree, UUID userId) {
        return one(conn.preparedQuery("select " + NODE_COLUMNS + " from genealogy.distributor d join genealogy.tree_node t on t.node_id = d.id and t.tree = $1"
                + " where d.user_id = $2").execute(Tuple.of(tree.id, userId)));
    }

    public Uni<TreeNode> childAt(SqlClient conn, Tree tree, long parent, int position) {
        return one(conn.preparedQuery("select " + NODE_COLUMNS + " from genealogy.tree_node t join genealogy.distributor d on d.id = t.node_id"
                + " where t.tree = $1 and t.parent_id = $2 and t.position = $3").execute(Tuple.of(tree.id, parent, position)));
    }

    /** The distributor a registration names as sponsor: by member code or by referral link code. */
    public Uni<Long> sponsorId(SqlClient conn, String code) {
        return conn.preparedQuery("select id from genealogy.distributor where member_code = $1 or referral_code = $1")
                .execute(Tuple.of(code)).map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getLong("id"));
    }

    public Uni<Boolean> treeEmpty(SqlClient conn, Tree tree) {
        return conn.preparedQuery("select not exists (select 1 from genealogy.tree_node where tree = $1) as empty").execute(Tuple.of(tree.id))
                .map(rows -> rows.iterator().next().getBoolean("empty"));
    }

    // ---- slots --------------------------------------------------------------------------------------------------

    /** Bottom of the outermost left line under the node: the first node in pre-order whose left position is free. */
    public Uni<Long> extremeLeft(SqlClient conn, TreeNode under) {
        return id(conn.preparedQuery("""
                select node_id from genealogy.tree_node where tree = 2 and free_mask & 1 <> 0 and lo between $1 and $2 order by lo limit 1""")
                .execute(Tuple.of(under.lo(), under.hi())));
    }

    /** Bottom of the outermost right line: the node with the greatest hi whose right position is free. */
    public Uni<Long> extremeRight(SqlClient conn, TreeNode under) {
        return id(conn.preparedQuery("""
                select node_id from genealogy.tree_node where tree = 2 and free_mask & 2 <> 0 and hi between $1 and $2 order by hi desc limit 1""")
                .execute(Tuple.of(under.lo(), under.hi())));
    }

    public record OpenSlot(long node, int position) {
    }

    /** Breadth-first, left to right: the shallowest node with a free position, down to maxDepth. */
    public Uni<OpenSlot> firstOpen(SqlClient conn, TreeNode under, int maxDepth) {
        return conn.preparedQuery("select node_id, free_mask from genealogy.tree_first_open(2::smallint, $1, $2, $3, $4)")
                .execute(Tuple.of(under.lo(), under.hi(), under.depth(), maxDepth))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new OpenSlot(row.getLong("node_id"), Integer.numberOfTrailingZeros(row.getInteger("free_mask")));
                });
    }

    /** Members in the subtree of the node, itself included: one index-only range count. */
    public Uni<Long> subtreeSize(SqlClient conn, Tree tree, TreeNode node) {
        return conn.preparedQuery("select count(*) as n from genealogy.tree_node where tree = $1 and lo between $2 and $3")
                .execute(Tuple.of(tree.id, node.lo(), node.hi())).map(rows -> rows.iterator().next().getLong("n"));
    }

    /** Personal volume of the subtree of the node, itself included, in the period. */
    public Uni<BigDecimal> subtreeVolume(SqlClient conn, Tree tree, TreeNode node, String period) {
        return conn.preparedQuery("select pv from genealogy.tree_volume($1, $2, $3, $4)")
                .execute(Tuple.of(tree.id, node.lo(), node.hi(), period)).map(rows -> rows.iterator().next().getBigDecimal("pv"));
    }

    /**
     * The node's downline in the period grouped by level (past {@code levels} together) and binary leg: rows of level,
     * leg (0, 1 or null), members, pv and bv.
     */
    public Uni<RowSet<Row>> summary(SqlClient conn, Tree tree, TreeNode node, int levels, String period, TreeNode left, TreeNode right) {
        return conn.preparedQuery("select level, leg, members, pv, bv from genealogy.tree_summary($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .execute(Tuple.tuple().addShort(tree.id).addLong(node.lo()).addLong(node.hi()).addInteger(node.depth()).addInteger(levels)
                        .addString(period).addLong(left == null ? 1L : left.lo()).addLong(left == null ? 0L : left.hi())
                        .addLong(right == null ? 1L : right.lo()).addLong(right == null ? 0L : right.hi()));
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    public static String searchable(String name) {
        return name.trim().toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
    }

    private static Uni<TreeNode> one(Uni<RowSet<Row>> rows) {
        return rows.map(set -> set.rowCount() == 0 ? null : toNode(set.iterator().next()));
    }

    private static Uni<Long> id(Uni<RowSet<Row>> rows) {
        return rows.map(set -> set.rowCount() == 0 ? null : set.iterator().next().getLong("node_id"));
    }

    static TreeNode toNode(Row row) {
        return new TreeNode(row.getLong("id"), row.getString("member_code"), row.getLong("parent_id"), row.getInteger("position"),
                row.getInteger("depth"), row.getLong("lo"), row.getLong("hi"), row.getInteger("children"), row.getInteger("free_mask"));
    }

    public static <T> List<T> list(RowSet<Row> rows, java.util.function.Function<Row, T> mapper) {
        List<T> result = new ArrayList<>(rows.rowCount());
        rows.forEach(row -> result.add(mapper.apply(row)));
        return result;
    }
}
