package io.downline.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.downline.common.db.GroupCommit;
import io.downline.common.db.GroupCommits;
import io.downline.support.Network;
import io.downline.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * The mechanics of group commit, with items whose only effect is to say which transaction ran them: requests that queue
 * while a batch runs share the next transaction; one that fails is answered with its own failure and the others commit.
 */
@QuarkusTest
class GroupCommitTest {

    private static final int GATE = 913_001;

    @Inject
    GroupCommits groupCommits;

    @Inject
    Pool pool;

    /** An item is a divisor: the step answers the id of the transaction it ran in, and fails on 0 (division by zero). */
    private GroupCommit<Integer, Long> divisions() {
        return groupCommits.create("test", pool, 1, GroupCommit.eachInSavepoint((conn, divisor) -> conn
                .preparedQuery("select pg_advisory_xact_lock($1) , 100 / $2 as quotient, txid_current() as txid")
                .execute(Tuple.of(GATE, divisor)).map(rows -> rows.iterator().next().getLong("txid"))));
    }

    @Test
    void requestsQueuedBehindARunningBatchShareOneTransactionAndAFailureStaysWithItsRequest() throws Exception {
        GroupCommit<Integer, Long> divisions = divisions();
        List<CompletableFuture<Long>> later = new ArrayList<>();
        CompletableFuture<Long> first;
        try (Connection gate = TestDatabase.connect(); Statement statement = gate.createStatement()) {
            statement.execute("select pg_advisory_lock(" + GATE + ")");
            first = divisions.submit(1).subscribeAsCompletionStage();
            awaitWaitingForTheGate();
            // the first batch is stuck at the gate: these queue, and go together once it commits
            for (int divisor : new int[] { 2, 5, 0, 10 }) {
                later.add(divisions.submit(divisor).subscribeAsCompletionStage());
            }
            statement.execute("select pg_advisory_unlock(" + GATE + ")");
        }
        long firstTxid = first.get(30, TimeUnit.SECONDS);
        long batchTxid = later.get(0).get(30, TimeUnit.SECONDS);
        assertNotEquals(firstTxid, batchTxid, "the queued requests ran after the first batch, in a transaction of their own");
        assertEquals(batchTxid, later.get(1).get(30, TimeUnit.SECONDS));
        assertEquals(batchTxid, later.get(3).get(30, TimeUnit.SECONDS));
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> later.get(2).get(30, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof PgException pg && "22012".equals(pg.getSqlState()), failed.getCause().toString());
    }

    @Test
    void aLoneRequestRunsAtOnceAndItsFailureIsItsOwn() throws Exception {
        GroupCommit<Integer, Long> divisions = divisions();
        assertTrue(divisions.submit(4).subscribeAsCompletionStage().get(30, TimeUnit.SECONDS) > 0);
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> divisions.submit(0).subscribeAsCompletionStage().get(30, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof PgException pg && "22012".equals(pg.getSqlState()), failed.getCause().toString());
        assertTrue(divisions.submit(4).subscribeAsCompletionStage().get(30, TimeUnit.SECONDS) > 0, "the failure left nothing behind");
    }

    /** Until a session of the pool waits for the gate's advisory lock. */
    private static void awaitWaitingForTheGate() throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if ("1".equals(Network.query("select count(*) from pg_locks where locktype = 'advisory' and objid::bigint = ? and not granted", GATE))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the first batch never reached the gate");
    }
}
