package io.downline.common.db;

import java.time.Duration;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/** Makes the {@link GroupCommit}s of the write paths, with the settings of "downline.group-commit" and a metric each. */
@ApplicationScoped
public class GroupCommits {

    /** How requests are grouped; the same for every kind. */
    @ConfigMapping(prefix = "downline.group-commit")
    public interface Settings {

        /** Off: every request of every kind runs in a transaction of its own (for comparison). */
        @WithDefault("true")
        boolean enabled();

        /**
         * The kinds that commit in groups (registration, payment, transfer). Transfers are left out by default: they
         * share no lock, PostgreSQL already flushes the commits of concurrent transfers together, and on the benchmark
         * machine they ran faster one per transaction (docs/benchmarks.md, "Write paths").
         */
        @WithDefault("registration,payment")
        Set<String> kinds();

        /** How long a batch waits for more requests to join while another batch of its kind is running. */
        @WithDefault("2ms")
        Duration window();

        /**
         * The most requests in one batch. Each request runs as a subtransaction, and a transaction with more than 64
         * of them overflows PostgreSQL's per-backend cache of subtransaction ids, which slows every snapshot taken
         * while it runs; so a batch stays well below that.
         */
        @WithDefault("48")
        int maxItems();
    }

    /** Subtransaction ids a backend caches (PGPROC_MAX_CACHED_SUBXIDS); beyond them every snapshot gets slower. */
    static final int SUBTRANSACTION_CACHE = 64;

    private final Vertx vertx;
    private final Settings settings;
    private final MeterRegistry registry;

    public GroupCommits(Vertx vertx, Settings settings, MeterRegistry registry) {
        this.vertx = vertx;
        this.settings = settings;
        this.registry = registry;
    }

    /**
     * @param name        names the kind in the metric downline.group.commit.items
     * @param maxInFlight batches of this kind that may run at once: 1 where the items' locks are not taken in one global
     *                    order (two batches could deadlock), more where the batch locks everything it needs up front
     */
    public <I, R> GroupCommit<I, R> create(String name, Pool pool, int maxInFlight, GroupCommit.Batch<I, R> batch) {
        return create(name, pool, maxInFlight, 1, batch);
    }

    /**
     * @param subtransactionsPerItem how many subtransactions one item may write in (savepoints, exception blocks): a
     *                               batch takes at most as many items as keep the transaction's subtransactions, one more
     *                               for the batch itself, within PostgreSQL's cache of {@value #SUBTRANSACTION_CACHE}
     */
    public <I, R> GroupCommit<I, R> create(String name, Pool pool, int maxInFlight, int subtransactionsPerItem, GroupCommit.Batch<I, R> batch) {
        DistributionSummary sizes = DistributionSummary.builder("downline.group.commit.items")
                .description("Requests committed together in one batch").tag("kind", name).register(registry);
        int maxItems = Math.min(settings.maxItems(), (SUBTRANSACTION_CACHE - 1) / subtransactionsPerItem);
        return new GroupCommit<>(pool, vertx, settings.enabled() && settings.kinds().contains(name), settings.window(), maxItems, maxInFlight,
                batch, sizes);
    }
}
