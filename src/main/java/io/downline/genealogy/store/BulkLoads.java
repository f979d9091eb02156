package io.downline.genealogy.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.function.IntFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.downline.common.db.CopyRows;
import io.downline.genealogy.api.Tree;

/**
 * Genealogy's bulk SQL over JDBC, where the driver's COPY streams rows several times faster than batched inserts: the
 * import of a whole network and the full relabel. Blocking: callers run it on a worker thread, in a transaction of
 * their own from {@link #transaction()}.
 */
@ApplicationScoped
public class BulkLoads {

    /** A member as the import writes them. */
    public record Member(long id, java.util.UUID userId, String memberCode, String referralCode, Long sponsorId, String fullName,
            String email, String phone, String stateCode, OffsetDateTime joinedAt, String searchName) {
    }

    /** A tree row as the import writes it. */
    public record Node(long nodeId, Long parentId, Integer position, int depth, long lo, long hi, int children, int freeMask) {
    }

    private final AgroalDataSource dataSource;

    public BulkLoads(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A connection with autocommit off; the caller commits or rolls back, and closes it. */
    public Connection transaction() throws SQLException {
        Connection conn = dataSource.getConnection();
        conn.setAutoCommit(false);
        return conn;
    }

    public void lockTree(Connection conn, Tree tree) throws SQLException {
        try (PreparedStatement lock = conn.prepareStatement("select pg_advisory_xact_lock(7130, ?)")) {
            lock.setInt(1, tree.id);
            lock.execute();
        }
    }

    public boolean networkEmpty(Connection conn) throws SQLException {
        return queryLong(conn, "select count(*) from (select 1 from genealogy.tree_node limit 1) t") == 0;
    }

    /** Takes n member numbers in one go; returns the first (the rest follow it). */
    public long reserveMemberNumbers(Connection conn, int n) throws SQLException {
        try (PreparedStatement next = conn.prepareStatement(
                "select setval('genealogy.member_number_seq', nextval('genealogy.member_number_seq') + ? - 1)")) {
            next.setInt(1, n);
            try (ResultSet rs = next.executeQuery()) {
                rs.next();
                return rs.getLong(1) - n + 1;
            }
        }
    }

    /** Drops the two tables' keys and indexes for a load into an empty network (genealogy.bulk_load_begin). */
    public void beginLoad(Connection conn) throws SQLException {
        queryLong(conn, "select genealogy.bulk_load_begin()");
    }

    /** Builds them again, checking every key and reference (genealogy.bulk_load_end). */
    public void endLoad(Connection conn) throws SQLException {
        queryLong(conn, "select genealogy.bulk_load_end()");
    }

    public void copyMembers(Connection conn, int n, IntFunction<Member> member) throws SQLException {
        try (CopyRows rows = new CopyRows(conn, """
                copy genealogy.distributor (id, user_id, member_code, referral_code, sponsor_id, full_name, email, phone, state_code,
                                            joined_at, search_name) from stdin (format csv)""")) {
            for (int i = 0; i < n; i++) {
                Member m = member.apply(i);
                rows.value(m.id()).value(m.userId()).value(m.memberCode()).value(m.referralCode()).value(m.sponsorId()).value(m.fullName())
                        .value(m.email()).value(m.phone()).value(m.stateCode()).value(m.joinedAt()).value(m.searchName());
                rows.endRow();
            }
            rows.finish();
        }
    }

    public void copyNodes(Connection conn, Tree tree, int n, IntFunction<Node> node) throws SQLException {
        try (CopyRows rows = new CopyRows(conn, """
                copy genealogy.tree_node (tree, node_id, parent_id, position, depth, lo, hi, children, free_mask) from stdin (format csv)""")) {
            for (int i = 0; i < n; i++) {
                Node t = node.apply(i);
                rows.value(tree.id).value(t.nodeId()).value(t.parentId()).value(t.position()).value(t.depth()).value(t.lo()).value(t.hi())
                        .value(t.children()).value(t.freeMask());
                rows.endRow();
            }
            rows.finish();
        }
    }

    // ---- full relabel -----------------------------------------------------------------------------------------

    /** A tree's parent pointers: node ids ascending, with each node's parent id and position. */
    public record Pointers(long[] ids, long[] parentIds, int[] positions) {
    }

    /** Reads the tree's (node_id, parent_id, position) in node id order; a null parent is Long.MIN_VALUE. */
    public Pointers pointers(Connection conn, Tree tree) throws SQLException {
        int n = (int) queryLong(conn, "select count(*) from genealogy.tree_node where tree = " + tree.id);
        long[] ids = new long[n];
        long[] parents = new long[n];
        int[] positions = new int[n];
        try (PreparedStatement read = conn.prepareStatement(
                "select node_id, parent_id, position from genealogy.tree_node where tree = ? order by node_id")) {
            read.setShort(1, tree.id);
            read.setFetchSize(50_000);
            try (ResultSet rs = read.executeQuery()) {
                int i = 0;
                while (rs.next() && i < n) {
                    ids[i] = rs.getLong(1);
                    long parent = rs.getLong(2);
                    parents[i] = rs.wasNull() ? Long.MIN_VALUE : parent;
                    positions[i++] = rs.getInt(3);
                }
            }
        }
        return new Pointers(ids, parents, positions);
    }

    /**
     * Writes new labels and depths: COPY into a temporary staging table, then one UPDATE joining it, which skips the
     * rows whose labels stay the same. Returns the rows changed.
     */
    public long writeLabels(Connection conn, Tree tree, long[] ids, long[] lo, long[] hi, int[] depth) throws SQLException {
        try (Statement ddl = conn.createStatement()) {
            ddl.execute("create temp table relabel_staging (node_id bigint, lo bigint, hi bigint, depth integer) on commit drop");
        }
        try (CopyRows rows = new CopyRows(conn, "copy pg_temp.relabel_staging (node_id, lo, hi, depth) from stdin (format csv)")) {
            for (int i = 0; i < ids.length; i++) {
                rows.value(ids[i]).value(lo[i]).value(hi[i]).value(depth[i]);
                rows.endRow();
            }
            rows.finish();
        }
        try (Statement analyze = conn.createStatement()) {
            analyze.execute("analyze pg_temp.relabel_staging");
        }
        try (PreparedStatement update = conn.prepareStatement("""
                update genealogy.tree_node t set lo = s.lo, hi = s.hi, depth = s.depth
                  from pg_temp.relabel_staging s
                 where t.tree = ? and t.node_id = s.node_id and (t.lo, t.hi, t.depth) is distinct from (s.lo, s.hi, s.depth)""")) {
            update.setShort(1, tree.id);
            return update.executeUpdate();
        }
    }

    private static long queryLong(Connection conn, String sql) throws SQLException {
        try (Statement statement = conn.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
