package io.downline.common.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import io.vertx.pgclient.PgException;

/** Which failures are worth running the whole transaction again: serialization failures and deadlocks, from either driver. */
class TransactionsTest {

    @Test
    void serializationFailuresAndDeadlocksAreTransientFromBothDrivers() {
        assertTrue(Transactions.isTransient(new PgException("could not serialize", "ERROR", "40001", null)));
        assertTrue(Transactions.isTransient(new RuntimeException(new PgException("deadlock detected", "ERROR", "40P01", null))));
        assertTrue(Transactions.isTransient(new RuntimeException(new SQLException("deadlock detected", "40P01"))));
        assertTrue(Transactions.isTransient(new SQLException("could not serialize", "40001")));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(Transactions.isTransient(new PgException("duplicate key", "ERROR", "23505", null)));
        assertFalse(Transactions.isTransient(new RuntimeException(new SQLException("duplicate key", "23505"))));
        assertFalse(Transactions.isTransient(new IllegalStateException("no database involved")));
    }
}
