package io.downline.genealogy.store;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.function.IntFunction;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

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

    private static final Logger LOG = Logger.getLogger(BulkLoads.class);

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

    /**
     * distributor against writes, until the commit. Bulk writers take it before the trees' locks: registrations write
     * their members before they take those, so the other order could deadlock with them.
     */
    public void lockMembersAgainstWrites(Connection conn) throws SQLException {
        try (Statement lock = conn.createStatement()) {
            lock.execute("lock table genealogy.distributor in share row exclusive mode");
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

    /**
     * Everything a full relabel needs, in the order every tree writer takes it, so that none of them deadlocks with it:
     * distributor against writes (a swap adds tree_node's foreign key to it, and registrations write members before they
     * take the trees' locks), both trees' locks (a swap copies both trees), then tree_node against writes (volume
     * recordings update it without the trees' locks). Readers carry on; writers wait until the commit.
     */
    public void lockForRelabel(Connection conn) throws SQLException {
        lockMembersAgainstWrites(conn);
        lockTree(conn, Tree.SPONSOR);
        lockTree(conn, Tree.PLACEMENT);
        try (Statement lock = conn.createStatement()) {
            lock.execute("lock table genealogy.tree_node in share mode");
        }
    }

    /** A tree's rows as a relabel reads them, in node id order: parent (Long.MIN_VALUE for none), position, labels, depth. */
    public record TreeRows(long[] ids, long[] parentIds, int[] positions, long[] lo, long[] hi, int[] depth) {
    }

    public TreeRows treeRows(Connection conn, Tree tree) throws SQLException {
        int n = (int) queryLong(conn, "select count(*) from genealogy.tree_node where tree = " + tree.id);
        TreeRows rows = new TreeRows(new long[n], new long[n], new int[n], new long[n], new long[n], new int[n]);
        try (PreparedStatement read = conn.prepareStatement(
                "select node_id, parent_id, position, lo, hi, depth from genealogy.tree_node where tree = ? order by node_id")) {
            read.setShort(1, tree.id);
            read.setFetchSize(50_000);
            try (ResultSet rs = read.executeQuery()) {
                int i = 0;
                while (rs.next() && i < n) {
                    rows.ids()[i] = rs.getLong(1);
                    long parent = rs.getLong(2);
                    rows.parentIds()[i] = rs.wasNull() ? Long.MIN_VALUE : parent;
                    rows.positions()[i] = rs.getInt(3);
                    rows.lo()[i] = rs.getLong(4);
                    rows.hi()[i] = rs.getLong(5);
                    rows.depth()[i++] = rs.getInt(6);
                }
            }
        }
        return rows;
    }

    /**
     * Writes the new labels and depths of the rows listed in {@code changed} (indexes into the arrays) in place: COPY
     * into a temporary staging table, then one UPDATE joining it. Each row written gets new entries in every index of
     * tree_node, so this suits a few changed rows; {@link #swapLabels} suits many.
     */
    public void updateLabels(Connection conn, Tree tree, long[] ids, long[] lo, long[] hi, int[] depth, int[] changed) throws SQLException {
        try (Statement ddl = conn.createStatement()) {
            ddl.execute("create temp table relabel_staging (node_id bigint, lo bigint, hi bigint, depth integer) on commit drop");
        }
        try (CopyRows rows = new CopyRows(conn, "copy pg_temp.relabel_staging (node_id, lo, hi, depth) from stdin (format csv)")) {
            for (int k : changed) {
                rows.value(ids[k]).value(lo[k]).value(hi[k]).value(depth[k]);
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
                 where t.tree = ? and t.node_id = s.node_id""")) {
            update.setShort(1, tree.id);
            update.executeUpdate();
        }
        rebuildBuckets(conn, tree, "genealogy.tree_node");
    }

    /**
     * Counts the tree's label buckets afresh from {@code source} with a width suited to its size, now that its labels are
     * spread evenly (genealogy.tree_bucket_rebuild). The caller keeps tree_node's writers out.
     */
    /**
     * Resizes the tree's label buckets when their width no longer suits its member count (genealogy.tree_bucket_refit),
     * for a relabel that found every label already in place. The caller keeps tree_node's writers out.
     */
    public void refitBuckets(Connection conn, Tree tree) throws SQLException {
        try (PreparedStatement refit = conn.prepareStatement("select genealogy.tree_bucket_refit(?)")) {
            refit.setShort(1, tree.id);
            refit.executeQuery().close();
        }
    }

    private void rebuildBuckets(Connection conn, Tree tree, String source) throws SQLException {
        try (PreparedStatement rebuild = conn.prepareStatement("select genealogy.tree_bucket_rebuild(?, ?::regclass)")) {
            rebuild.setShort(1, tree.id);
            rebuild.setString(2, source);
            rebuild.executeQuery().close();
        }
    }

    /**
     * Writes every row of tree_node into a new table, this tree's with the new labels and depths, builds its keys and
     * indexes once and swaps it in (R__genealogy_relabel.sql). The rows go out with COPY into a temporary file, relabelled
     * on the way, and back in with COPY FREEZE: frozen rows are visible to every snapshot, so a reader whose snapshot
     * predates the swap still sees the whole tree in the new table. The caller holds {@link #lockForRelabel}.
     */
    public void swapLabels(Connection conn, Tree tree, long[] ids, long[] lo, long[] hi, int[] depth) throws SQLException {
        queryLong(conn, "select 1 from genealogy.tree_swap_begin()");
        CopyManager copy = conn.unwrap(PGConnection.class).getCopyAPI();
        Path rows = null;
        try {
            rows = Files.createTempFile("relabel-", ".csv");
            try (RelabelledRows out = new RelabelledRows(new BufferedOutputStream(Files.newOutputStream(rows), 1 << 16), tree, ids, lo, hi, depth)) {
                copy.copyOut("copy (select " + SWAP_COLUMNS + " from genealogy.tree_node) to stdout (format csv)", out);
                out.checkAllRelabelled();
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(rows), 1 << 16)) {
                copy.copyIn("copy genealogy.tree_node_swap (" + SWAP_COLUMNS + ") from stdin (format csv, freeze)", in);
            }
        } catch (IOException e) {
            throw new SQLException("The relabelled rows could not be spooled", e);
        } finally {
            if (rows != null) {
                try {
                    Files.deleteIfExists(rows);
                } catch (IOException e) {
                    LOG.warnf(e, "Could not delete %s", rows);
                }
            }
        }
        try (Statement statement = conn.createStatement()) {
            statement.execute("analyze genealogy.tree_node_swap");
        }
        queryLong(conn, "select 1 from genealogy.tree_swap_build()");
        // before the swap, so that the exclusive lock is held for catalogue work only
        rebuildBuckets(conn, tree, "genealogy.tree_node_swap");
        for (int attempt = 1;; attempt++) {
            Savepoint beforeSwap = conn.setSavepoint();
            try {
                queryLong(conn, "select 1 from genealogy.tree_swap_in()");
                conn.releaseSavepoint(beforeSwap);
                return;
            } catch (SQLException e) {
                if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || attempt == LOCK_ATTEMPTS) {
                    throw e;
                }
                conn.rollback(beforeSwap);
                pauseBeforeRetry();
            }
        }
    }

    /**
     * Drops the table the last swap took out (genealogy.tree_swap_drop_old), in a transaction of its own, trying again
     * while others hold distributor or that table; false if it is still there after all attempts.
     */
    public boolean dropSwappedOut() throws SQLException {
        try (Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(true);
            for (int attempt = 1;; attempt++) {
                try {
                    queryLong(conn, "select 1 from genealogy.tree_swap_drop_old()");
                    return true;
                } catch (SQLException e) {
                    if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                        throw e;
                    }
                    if (attempt == LOCK_ATTEMPTS) {
                        return false;
                    }
                    pauseBeforeRetry();
                }
            }
        }
    }

    /** SQLSTATE of a lock not granted within lock_timeout. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    /** Attempts at a swap's exclusive locks, each waiting 200 ms (lock_timeout) and then pausing: about 15 s in all. */
    private static final int LOCK_ATTEMPTS = 50;

    private static void pauseBeforeRetry() throws SQLException {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting to retry a lock", e);
        }
    }

    private static final String SWAP_COLUMNS = "tree, node_id, parent_id, position, depth, lo, hi, children, free_mask, vol_period, pv, bv";

    /**
     * tree_node's rows as CSV lines (columns as {@link #SWAP_COLUMNS}: numbers and empty nulls, never quoted), with the
     * relabelled tree's depth, lo and hi (fields 4 to 6) replaced by the new ones of the node (found by id).
     */
    private static final class RelabelledRows extends OutputStream {

        private final OutputStream out;
        private final byte[] tree;
        private final long[] ids;
        private final long[] lo;
        private final long[] hi;
        private final int[] depth;
        private byte[] line = new byte[256];
        private int length;
        private int relabelled;

        RelabelledRows(OutputStream out, Tree tree, long[] ids, long[] lo, long[] hi, int[] depth) {
            this.out = out;
            this.tree = String.valueOf(tree.id).getBytes(StandardCharsets.US_ASCII);
            this.ids = ids;
            this.lo = lo;
            this.hi = hi;
            this.depth = depth;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) throws IOException {
            int from = offset;
            for (int i = offset; i < offset + count; i++) {
                if (bytes[i] == '\n') {
                    append(bytes, from, i - from);
                    endLine();
                    from = i + 1;
                }
            }
            append(bytes, from, offset + count - from);
        }

        private void append(byte[] bytes, int offset, int count) {
            if (length + count > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
            }
            System.arraycopy(bytes, offset, line, length, count);
            length += count;
        }

        private void endLine() throws IOException {
            int[] commas = new int[7];
            int found = 0;
            for (int i = 0; i < length && found < commas.length; i++) {
                if (line[i] == ',') {
                    commas[found++] = i;
                }
            }
            if (found < commas.length) {
                throw new IOException("Unexpected tree_node row: " + new String(line, 0, length, StandardCharsets.US_ASCII));
            }
            if (!Arrays.equals(line, 0, commas[0], tree, 0, tree.length)) {
                out.write(line, 0, length);
            } else {
                long id = Long.parseLong(new String(line, commas[0] + 1, commas[1] - commas[0] - 1, StandardCharsets.US_ASCII));
                int k = Arrays.binarySearch(ids, id);
                if (k < 0) {
                    throw new IOException("Node " + id + " was not in the tree that was labelled");
                }
                out.write(line, 0, commas[3] + 1);
                out.write((depth[k] + "," + lo[k] + "," + hi[k]).getBytes(StandardCharsets.US_ASCII));
                out.write(line, commas[6], length - commas[6]);
                relabelled++;
            }
            out.write('\n');
            length = 0;
        }

        void checkAllRelabelled() throws IOException {
            if (relabelled != ids.length) {
                throw new IOException("Relabelled " + relabelled + " rows of " + ids.length);
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    private static long queryLong(Connection conn, String sql) throws SQLException {
        try (Statement statement = conn.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
