package io.downline.common.db;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/**
 * Transactions of the set-based services (ledger, commerce): serialization failures and deadlocks are PostgreSQL's
 * way of saying "run it again", so they are retried here, with a short growing pause, and never reach the caller.
 */
public final class Transactions {

    private static final int ATTEMPTS = 10;

    private Transactions() {
    }

    /** Runs the work (which must start its own transaction, or be one statement) until it ends without a transient failure. */
    public static <T> Uni<T> retrying(Supplier<Uni<? extends T>> work) {
        return retrying(work, failure -> false);
    }

    /** The same, also running again after the failures {@code alsoRetry} accepts (a race the next attempt will see settled). */
    public static <T> Uni<T> retrying(Supplier<Uni<? extends T>> work, Predicate<Throwable> alsoRetry) {
        return Uni.createFrom().<T>deferred(work)
                .onFailure(failure -> isTransient(failure) || alsoRetry.test(failure))
                .retry().withBackOff(Duration.ofMillis(5), Duration.ofMillis(200)).atMost(ATTEMPTS);
    }

    /** Runs the work in a transaction on the pool, again as a whole after a transient failure. */
    public static <T> Uni<T> retrying(Pool pool, Function<SqlConnection, Uni<T>> work) {
        return retrying(() -> pool.withTransaction(work));
    }

    /** Runs the steps one after another on one connection (a connection runs one statement at a time anyway). */
    public static <T, R> Uni<List<R>> each(List<T> items, Function<T, Uni<R>> step) {
        Uni<List<R>> results = Uni.createFrom().item(new ArrayList<>());
        for (T item : items) {
            results = results.chain(done -> step.apply(item).map(result -> {
                done.add(result);
                return done;
            }));
        }
        return results;
    }

    /** A serialization failure (40001) or a deadlock (40P01), anywhere in the cause chain. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg) {
                return isTransient(pg.getSqlState());
            }
            if (cause instanceof java.sql.SQLException jdbc) { // the JDBC steps (COPY in a close, an import)
                return isTransient(jdbc.getSQLState());
            }
        }
        return false;
    }

    private static boolean isTransient(String sqlState) {
        return "40001".equals(sqlState) || "40P01".equals(sqlState);
    }
}
