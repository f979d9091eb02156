package io.downline.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.downline.common.db.Outbox;
import io.downline.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A consumer's next batch costs the batch, not the outbox's history: the rows a read fetches stay near the batch
 * however many events the consumer has already acknowledged (counted by the transaction's own table statistics, so the
 * check does not depend on the machine's speed). Both readers: commerce's outbox_next and the shared Outbox's.
 */
@QuarkusTest
class OutboxReadCostTest {

    static final int CONSUMED = 20_000;
    static final int FRESH = 10;

    @Inject
    Pool pool;

    @Test
    void commerceReaderSkipsTheConsumedHistory() throws Exception {
        String consumer = "cost-" + UUID.randomUUID();
        try (Connection sql = TestDatabase.connect()) {
            publishAndConsume(sql, "commerce", consumer);
            sql.setAutoCommit(false);
            long[] read = readUntilFresh(() -> {
                try (Statement st = sql.createStatement();
                        ResultSet rs = st.executeQuery("select count(*) filter (where type = 'cost.fresh') from commerce.outbox_next('" + consumer + "', 100)")) {
                    rs.next();
                    long[] result = {rs.getInt(1), rowsRead(sql, "commerce")};
                    sql.rollback();
                    return result;
                }
            });
            assertEquals(FRESH, read[0]);
            assertFetchedFew(read[1]);
        }
    }

    @Test
    void sharedReaderSkipsTheConsumedHistory() throws Exception {
        String consumer = "cost-" + UUID.randomUUID();
        try (Connection sql = TestDatabase.connect()) {
            publishAndConsume(sql, "genealogy", consumer);
        }
        Outbox outbox = new Outbox("genealogy");
        long[] read = readUntilFresh(() -> {
            long[] result = new long[2];
            pool.withTransaction(conn -> outbox.next(conn, consumer, 100)
                    .invoke(events -> result[0] = events.stream().filter(e -> e.type().equals("cost.fresh")).count())
                    .chain(() -> conn.query("select coalesce(idx_tup_fetch, 0) + coalesce(seq_tup_read, 0) from pg_stat_xact_user_tables"
                            + " where relid = 'genealogy.outbox_event'::regclass").execute())
                    .invoke(rows -> result[1] = rows.iterator().next().getLong(0)))
                    .await().indefinitely();
            return result;
        });
        assertEquals(FRESH, read[0]);
        assertFetchedFew(read[1]);
    }

    /**
     * Reads (each attempt its own transaction) until the fresh events show: a reader sees nothing above a transaction
     * still running, such as a worker's batch that took its id before the fresh events were written.
     */
    private static long[] readUntilFresh(Callable<long[]> read) throws Exception {
        long[] result = read.call();
        for (int attempt = 0; attempt < 100 && result[0] < FRESH; attempt++) {
            Thread.sleep(100);
            result = read.call();
        }
        return result;
    }

    /** Publishes CONSUMED events, acknowledges the consumer at the last of them, then publishes FRESH more; all committed. */
    private static void publishAndConsume(Connection sql, String schema, String consumer) throws SQLException {
        try (Statement st = sql.createStatement()) {
            st.executeUpdate("insert into " + schema + ".outbox_event (id, type, payload) select gen_random_uuid(), 'cost.consumed', '{}'"
                    + " from generate_series(1, " + CONSUMED + ")");
            st.executeUpdate("insert into " + schema + ".outbox_consumer (consumer, last_txid, last_position)"
                    + " select '" + consumer + "', txid, position from " + schema + ".outbox_event order by txid desc, position desc limit 1");
            st.executeUpdate("insert into " + schema + ".outbox_event (id, type, payload) select gen_random_uuid(), 'cost.fresh', '{}'"
                    + " from generate_series(1, " + FRESH + ")");
        }
    }

    /** Rows of schema.outbox_event that this transaction has read so far, by index or sequentially. */
    private static long rowsRead(Connection sql, String schema) throws SQLException {
        try (Statement st = sql.createStatement();
                ResultSet rs = st.executeQuery("select coalesce(idx_tup_fetch, 0) + coalesce(seq_tup_read, 0) from pg_stat_xact_user_tables"
                        + " where relid = '" + schema + ".outbox_event'::regclass")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void assertFetchedFew(long fetched) {
        assertTrue(fetched < CONSUMED / 10, "the read fetched " + fetched + " rows for " + FRESH + " new events after " + CONSUMED + " consumed ones");
    }
}
