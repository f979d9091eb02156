package io.downline.commerce;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/** Runs a transaction on the pool, and again (up to three times) when PostgreSQL reports a serialization failure or deadlock. */
final class Transactions {

    private Transactions() {
    }

    static <T> Uni<T> retrying(Pool pool, Function<SqlConnection, Uni<T>> work) {
        return Uni.createFrom().deferred(() -> pool.withTransaction(work))
                .onFailure(Transactions::transientFailure).retry().withBackOff(Duration.ofMillis(5), Duration.ofMillis(50)).atMost(3);
    }

    /** Runs the steps one after another on one connection (a connection runs one statement at a time anyway). */
    static <T, R> Uni<List<R>> each(List<T> items, Function<T, Uni<R>> step) {
        Uni<List<R>> results = Uni.createFrom().item(new ArrayList<>());
        for (T item : items) {
            results = results.chain(done -> step.apply(item).map(result -> {
                done.add(result);
                return done;
            }));
        }
        return results;
    }

    private static boolean transientFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg) {
                return "40001".equals(pg.getSqlState()) || "40P01".equals(pg.getSqlState());
            }
        }
        return false;
    }
}
