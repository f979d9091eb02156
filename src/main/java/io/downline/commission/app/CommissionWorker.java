package io.downline.commission.app;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.downline.commerce.api.CommerceOutbox;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Runs the real-time engine in this instance: woken by NOTIFY on the commerce and genealogy outbox channels, and by a periodic poll as a
 * safety net (a notification is lost while the listening connection reconnects). Each wake drains batches until none is
 * left. Any number of instances may run one: a batch claims the outbox consumer with SKIP LOCKED, so exactly one runs it.
 */
@ApplicationScoped
public class CommissionWorker {

    private static final Logger LOG = Logger.getLogger(CommissionWorker.class);

    private final EventProcessor processor;
    private final GenealogyEventProcessor genealogy;
    private final Notifications notifications;
    private final Vertx vertx;
    private final boolean enabled;
    private final int batchSize;
    private final Duration pollEvery;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean wokenMeanwhile = new AtomicBoolean();
    private long timer = -1;

    public CommissionWorker(EventProcessor processor, GenealogyEventProcessor genealogy, Notifications notifications, Vertx vertx,
            @ConfigProperty(name = "downline.commission.worker.enabled") boolean enabled,
            @ConfigProperty(name = "downline.commission.worker.batch-size") int batchSize,
            @ConfigProperty(name = "downline.commission.worker.poll-every") Duration pollEvery) {
        this.processor = processor;
        this.genealogy = genealogy;
        this.notifications = notifications;
        this.vertx = vertx;
        this.enabled = enabled;
        this.batchSize = batchSize;
        this.pollEvery = pollEvery;
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        notifications.listen(CommerceOutbox.CHANNEL, payload -> wake());
        notifications.listen(genealogy.channel(), payload -> wake());
        timer = vertx.setPeriodic(pollEvery.toMillis(), id -> wake());
        wake();
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Drains the outbox now, or right after the drain under way (which may have read before the new events committed). */
    public void wake() {
        wokenMeanwhile.set(true);
        if (running.compareAndSet(false, true)) {
            run();
        }
    }

    private void run() {
        wokenMeanwhile.set(false);
        drain().subscribe().with(handled -> finish(), failure -> {
            LOG.error("commission batch failed; it runs again at the next wake", failure);
            finish();
        });
    }

    private void finish() {
        running.set(false);
        if (wokenMeanwhile.get() && running.compareAndSet(false, true)) {
            run();
        }
    }

    /** Both outboxes (genealogy's first: a registration is recorded before the orders that follow it), each until a batch comes back short. */
    Uni<Integer> drain() {
        return drain(genealogy::processBatch).chain(members -> drain(processor::processBatch).map(orders -> members + orders));
    }

    private Uni<Integer> drain(java.util.function.IntFunction<Uni<Integer>> batch) {
        return batch.apply(batchSize).chain(handled -> handled < batchSize
                ? Uni.createFrom().item(handled)
                : drain(batch).map(more -> handled + more));
    }
}
