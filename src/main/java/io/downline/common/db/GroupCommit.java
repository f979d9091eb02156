package io.downline.common.db;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import io.micrometer.core.instrument.DistributionSummary;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Group commit: concurrent requests of one kind run together in one transaction with one commit, each getting its own
 * result, and no reply goes out before that commit. While no batch of this kind is running a request starts at once
 * (no added latency when the service is quiet); while one runs, requests queue and the next batch takes what queued in
 * the window, up to its size. A failure of one item never fails the others: that is the batch's work to ensure
 * ({@link #eachInSavepoint}); a failure of the whole batch (the commit, a lost connection) fails its items, and a
 * serialization failure or deadlock runs the batch again. Create instances with {@link GroupCommits}.
 *
 * @param <I> what a request asks for
 * @param <R> what it gets back
 */
public final class GroupCommit<I, R> {

    /** One batch's work in its open transaction: one outcome per item, in the items' order. */
    @FunctionalInterface
    public interface Batch<I, R> {
        Uni<List<Outcome<R>>> run(SqlConnection conn, List<I> items);
    }

    /** An item's result, or why it failed (its own failure: the batch's other items still commit). */
    public record Outcome<R>(R result, Throwable failure) {

        public static <R> Outcome<R> of(R result) {
            return new Outcome<>(result, null);
        }

        public static <R> Outcome<R> failed(Throwable failure) {
            return new Outcome<>(null, failure);
        }

        /** The result, or the item's failure thrown (wrapped when it is checked). */
        public R orThrow() {
            if (failure != null) {
                throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
            }
            return result;
        }
    }

    private record Pending<I, R>(I item, UniEmitter<? super R> emitter, Context context) {
    }

    private final Pool pool;
    private final Vertx vertx;
    private final boolean grouped;
    private final Duration window;
    private final int maxItems;
    private final int maxInFlight;
    private final Batch<I, R> batch;
    private final DistributionSummary sizes;
    private final ArrayDeque<Pending<I, R>> queue = new ArrayDeque<>();
    private int inFlight;
    private long timer = -1;

    GroupCommit(Pool pool, Vertx vertx, boolean grouped, Duration window, int maxItems, int maxInFlight, Batch<I, R> batch,
            DistributionSummary sizes) {
        this.pool = pool;
        this.grouped = grouped;
        this.vertx = vertx;
        this.window = window;
        this.maxItems = maxItems;
        this.maxInFlight = maxInFlight;
        this.batch = batch;
        this.sizes = sizes;
    }

    /** Runs the item in the next batch; the result arrives on the caller's own Vert.x context, after the commit. */
    public Uni<R> submit(I item) {
        if (!grouped) {
            return Transactions.retrying(() -> inTransaction(List.of(item))).map(outcomes -> outcomes.get(0).orThrow());
        }
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                queue.add(new Pending<>(item, emitter, Vertx.currentContext()));
            }
            drain(false);
        });
    }

    /**
     * A batch whose items run one after another, each inside a savepoint: an item that fails is rolled back alone and
     * answered with its failure. A serialization failure or deadlock fails the whole batch instead (which then runs
     * again), since the locks of the items before it would only meet the same conflict again.
     */
    public static <I, R> Batch<I, R> eachInSavepoint(BiFunction<SqlConnection, I, Uni<R>> step) {
        return (conn, items) -> {
            if (items.size() == 1) {
                // nothing to protect: the item's failure is the transaction's
                return Uni.createFrom().deferred(() -> step.apply(conn, items.get(0))).map(result -> List.of(Outcome.of(result)));
            }
            return Transactions.each(items, item -> inSavepoint(conn, () -> step.apply(conn, item)));
        };
    }

    /** Runs the work inside a savepoint: its failure rolls back its own writes and becomes its outcome; a transient one fails. */
    public static <R> Uni<Outcome<R>> inSavepoint(SqlConnection conn, Supplier<Uni<? extends R>> work) {
        return conn.query("savepoint group_item").execute()
                .chain(() -> Uni.createFrom().<R>deferred(work))
                .chain(result -> conn.query("release savepoint group_item").execute().replaceWith(Outcome.<R>of(result)))
                .onFailure(failure -> !Transactions.isTransient(failure))
                .recoverWithUni(failure -> conn.query("rollback to savepoint group_item").execute().replaceWith(Outcome.<R>failed(failure)));
    }

    private void drain(boolean windowOver) {
        List<Pending<I, R>> taken;
        synchronized (this) {
            if (queue.isEmpty() || inFlight >= maxInFlight) {
                return;
            }
            if (inFlight > 0 && !windowOver && queue.size() < maxItems) {
                // a batch is running: give more requests the window to join this one
                if (timer < 0) {
                    timer = vertx.setTimer(window.toMillis() < 1 ? 1 : window.toMillis(), id -> {
                        synchronized (this) {
                            timer = -1;
                        }
                        drain(true);
                    });
                }
                return;
            }
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
            taken = new ArrayList<>(Math.min(queue.size(), maxItems));
            while (!queue.isEmpty() && taken.size() < maxItems) {
                taken.add(queue.poll());
            }
            inFlight++;
        }
        sizes.record(taken.size());
        List<I> items = taken.stream().map(Pending::item).toList();
        Transactions.retrying(() -> inTransaction(items)).subscribe().with(outcomes -> {
            finished();
            for (int i = 0; i < taken.size(); i++) {
                Outcome<R> outcome = outcomes.get(i);
                if (outcome.failure() == null) {
                    answer(taken.get(i), outcome.result(), null);
                } else {
                    answer(taken.get(i), null, outcome.failure());
                }
            }
        }, failure -> {
            finished();
            taken.forEach(pending -> answer(pending, null, failure));
        });
    }

    /**
     * BEGIN and COMMIT by hand: a Vert.x transaction rolls back at the first failed statement, which would undo the
     * items before a failed one although its savepoint already did.
     */
    private Uni<List<Outcome<R>>> inTransaction(List<I> items) {
        return pool.withConnection(conn -> conn.query("begin").execute()
                .chain(() -> batch.run(conn, items))
                .call(() -> conn.query("commit").execute())
                .onFailure().call(() -> conn.query("rollback").execute().onFailure().recoverWithNull()));
    }

    private void finished() {
        synchronized (this) {
            inFlight--;
        }
        drain(false);
    }

    private void answer(Pending<I, R> pending, R result, Throwable failure) {
        Runnable reply = failure == null ? () -> pending.emitter().complete(result) : () -> pending.emitter().fail(failure);
        if (pending.context() == null) {
            reply.run();
        } else {
            pending.context().runOnContext(ignored -> reply.run());
        }
    }
}
