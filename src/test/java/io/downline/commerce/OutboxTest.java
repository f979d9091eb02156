package io.downline.commerce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.downline.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/** Outbox readers never pass an event whose transaction commits after a later-numbered one. */
@QuarkusTest
class OutboxTest {

    @Test
    void anEventCommittedLateIsStillReadWhicheverTransactionStartedFirst() throws SQLException, InterruptedException {
        String consumer = "test-" + UUID.randomUUID();
        try (Connection a = TestDatabase.connect(); Connection b = TestDatabase.connect(); Connection reader = TestDatabase.connect()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            // B takes its transaction id first, A then draws the lower position, B the higher one and commits first
            b.createStatement().execute("select pg_current_xact_id()");
            publish(a, "late");
            publish(b, "early");
            b.commit();
            assertEquals(List.of("early"), readUntil(reader, consumer, 1));
            a.commit();
            assertEquals(List.of("late"), readUntil(reader, consumer, 1), "the lower position committed later is not skipped");

            // A starts first and stays open while B commits: B's event waits until A is done, then both come in order
            publish(a, "first-open");
            publish(b, "committed-meanwhile");
            b.commit();
            assertEquals(List.of(), readAndAck(reader, consumer));
            a.commit();
            assertEquals(List.of("first-open", "committed-meanwhile"), readUntil(reader, consumer, 2));
        }
    }

    private static void publish(Connection connection, String type) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.executeUpdate("insert into commerce.outbox_event (id, type, payload) values (gen_random_uuid(), 'test." + type + "', '{}')");
        }
    }

    /**
     * What the consumer gets until {@code count} of this test's events have come: the reader also waits for any other
     * transaction of the database that holds an id older than the events' (a commission worker's batch, say).
     */
    private static List<String> readUntil(Connection reader, String consumer, int count) throws SQLException, InterruptedException {
        List<String> types = new ArrayList<>(readAndAck(reader, consumer));
        for (int attempt = 0; attempt < 100 && types.size() < count; attempt++) {
            Thread.sleep(100);
            types.addAll(readAndAck(reader, consumer));
        }
        return types;
    }

    /** What the consumer gets next (only this test's events), acknowledging the last one as a consumer would. */
    private static List<String> readAndAck(Connection reader, String consumer) throws SQLException {
        List<String> types = new ArrayList<>();
        String lastTxid = null;
        long lastPosition = 0;
        try (Statement sql = reader.createStatement();
                ResultSet rs = sql.executeQuery("select type, txid::text, position from commerce.outbox_next('" + consumer + "', 1000)")) {
            while (rs.next()) {
                if (rs.getString(1).startsWith("test.")) {
                    types.add(rs.getString(1).substring(5));
                }
                lastTxid = rs.getString(2);
                lastPosition = rs.getLong(3);
            }
        }
        if (lastTxid != null) {
            try (Statement sql = reader.createStatement()) {
                sql.execute("select commerce.outbox_ack('" + consumer + "', '" + lastTxid + "'::xid8, " + lastPosition + ")");
            }
        }
        return types;
    }
}
