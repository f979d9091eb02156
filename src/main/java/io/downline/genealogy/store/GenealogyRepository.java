package io.downline.genealogy.store;

import io.downline.genealogy.api.NewDistributor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.downline.genealogy.api.Plan;
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

    // ---- label buckets ------------------------------------------------------------------------------------------

    /** Folds the label buckets' delta rows into their base rows (genealogy.tree_bucket_compact): the rows folded, or null when another fold or a rebuild holds the lock. */
    public Uni<Long> compactBuckets() {
        return pool.query("select genealogy.tree_bucket_compact() as folded").execute().map(rows -> rows.iterator().next().getLong("folded"));
    }

    /** Vacuums the bucket tables, whose folds leave dead rows behind them (autovacuum may be off). */
    public Uni<Void> vacuumBuckets() {
        return pool.query("vacuum genealogy.tree_bucket_delta, genealogy.tree_bucket").execute().replaceWithVoid();
    }

    // ---- writes -------------------------------------------------------------------------------------------------

    public Uni<Void> lockTree(SqlClient conn, Tree tree) {
        return conn.preparedQuery("select pg_advisory_xact_lock($1, $2)").execute(Tuple.of(TREE_LOCK, (int) tree.id)).replaceWithVoid();
    }

    /** That many member numbers from member_number_seq, in one round trip. */
    public Uni<List<Long>> nextMemberNumbers(SqlClient conn, int n) {
        return conn.preparedQuery("select nextval('genealogy.member_number_seq') as n from generate_series(1, $1)").execute(Tuple.of(n))
                .map(rows -> list(rows, row -> row.getLong("n")));
    }

    /** A new member's row as a registration writes it. */
    public record NewMember(long id, UUID userId, String memberCode, String referralCode, Long sponsorId, NewDistributor details,
            java.time.OffsetDateTime placementDue, String registrationKey) {
    }

    /** The members' rows in one statement. */
    public Uni<Void> insertDistributors(SqlClient conn, List<NewMember> members) {
        return conn.preparedQuery("""
                insert into genealogy.distributor (id, user_id, member_code, referral_code, sponsor_id, full_name, email, phone, state_code,
                                         placement_due, search_name, registration_key)
                select * from unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[],
                                     $9::text[], $10::timestamptz[], $11::text[], $12::text[])""")
                .execute(Tuple.from(new Object[] {
                        members.stream().map(NewMember::id).toArray(Long[]::new),
                        members.stream().map(NewMember::userId).toArray(UUID[]::new),
                        members.stream().map(NewMember::memberCode).toArray(String[]::new),
                        members.stream().map(NewMember::referralCode).toArray(String[]::new),
                        members.stream().map(NewMember::sponsorId).toArray(Long[]::new),
                        members.stream().map(m -> m.details().fullName()).toArray(String[]::new),
                        members.stream().map(m -> m.details().email()).toArray(String[]::new),
                        members.stream().map(m -> m.details().phone()).toArray(String[]::new),
                        members.stream().map(m -> m.details().stateCode()).toArray(String[]::new),
                        members.stream().map(NewMember::placementDue).toArray(java.time.OffsetDateTime[]::new),
                        members.stream().map(m -> searchable(m.details().fullName())).toArray(String[]::new),
                        members.stream().map(NewMember::registrationKey).toArray(String[]::new) }))
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

    /**
     * A member's placement as genealogy.place_member or genealogy.register_placements takes it: {@code mode} is the binary
     * placement mode (null for unilevel and matrix plans), {@code parentCode} and {@code side} (0 left, 1 right) an
     * explicit choice; {@code place} false leaves the member unplaced (the holding tank).
     */
    public record PlacementOrder(long member, Long sponsor, boolean place, String mode, String parentCode, Integer side) {
    }

    /** Where a member was placed (the root: no parent, depth 0), or the SQLSTATE and message of its refusal. */
    public record Placed(String errorState, String errorMessage, String parentCode, Integer position, Integer depth) {
    }

    /** Places one member by the plan's rules (genealogy.place_member); a refusal fails with its SQLSTATE. */
    public Uni<Placed> placeMember(SqlClient conn, Plan plan, PlacementOrder order) {
        return conn.preparedQuery("select * from genealogy.place_member($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .execute(Tuple.tuple().addLong(order.member()).addLong(order.sponsor()).addString(plan.structure().name())
                        .addInteger(plan.width()).addInteger(plan.matrixDepth()).addString(order.mode()).addString(order.parentCode())
                        .addInteger(order.side()).addString(plan.weakerLegMeasure().name()).addString(plan.currentPeriod()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Placed(null, null, row.getString("placed_under"), row.getInteger("placed_at"), row.getInteger("placed_depth"));
                });
    }

    /**
     * The serial part of a batch of registrations in one call (genealogy.register_placements): every member's sponsor-tree
     * edge and placement under both trees' locks, one answer per order, in order; a refused one is rolled back alone.
     */
    public Uni<List<Placed>> registerPlacements(SqlClient conn, Plan plan, List<PlacementOrder> orders) {
        return conn.preparedQuery("select * from genealogy.register_placements($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
                .execute(Tuple.from(new Object[] {
                        orders.stream().map(PlacementOrder::member).toArray(Long[]::new),
                        orders.stream().map(PlacementOrder::sponsor).toArray(Long[]::new),
                        orders.stream().map(PlacementOrder::place).toArray(Boolean[]::new),
                        orders.stream().map(PlacementOrder::mode).toArray(String[]::new),
                        orders.stream().map(PlacementOrder::parentCode).toArray(String[]::new),
                        orders.stream().map(PlacementOrder::side).toArray(Integer[]::new),
                        plan.structure().name(), plan.width(), plan.matrixDepth(), plan.weakerLegMeasure().name(), plan.currentPeriod() }))
                .map(rows -> list(rows, row -> new Placed(row.getString("error_state"), row.getString("error_message"),
                        row.getString("placed_under"), row.getInteger("placed_at"), row.getInteger("placed_depth"))));
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

    /** A sponsor as a registration names it: the distributor's id and member code. */
    public record Sponsor(long id, String memberCode) {
    }

    /**
     * The distributors registrations name as sponsors, by member code or by referral link code, in one statement: by
     * the code as named; a code that names nobody is absent.
     */
    public Uni<Map<String, Sponsor>> sponsors(SqlClient conn, String[] codes) {
        return conn.preparedQuery("""
                select c.code, d.id, d.member_code from unnest($1::text[]) as c(code)
                  cross join lateral (select id, member_code from genealogy.distributor where member_code = c.code or referral_code = c.code limit 1) d""")
                .execute(Tuple.tuple().addArrayOfString(codes)).map(rows -> {
                    Map<String, Sponsor> sponsors = new HashMap<>();
                    rows.forEach(row -> sponsors.put(row.getString("code"), new Sponsor(row.getLong("id"), row.getString("member_code"))));
                    return sponsors;
                });
    }

    public Uni<Boolean> treeEmpty(SqlClient conn, Tree tree) {
        return conn.preparedQuery("select not exists (select 1 from genealogy.tree_node where tree = $1) as empty").execute(Tuple.of(tree.id))
                .map(rows -> rows.iterator().next().getBoolean("empty"));
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

    /** Compiled once: an import calls {@link #searchable} a million times. */
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

    public static String searchable(String name) {
        return WHITESPACE.matcher(name.trim().toLowerCase(java.util.Locale.ROOT)).replaceAll(" ");
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
