package io.downline.ledger.app;

import java.time.LocalDate;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keeps the monthly entry partitions two months ahead, and writes each finished month's checkpoints (every account's chain
 * head at the month's end), so that a month can be detached and archived and still verify on its own.
 */
@ApplicationScoped
public class LedgerPartitions {

    private static final Logger LOG = Logger.getLogger(LedgerPartitions.class);

    private final Pool pool;

    public LedgerPartitions(Pool pool) {
        this.pool = pool;
    }

    @Scheduled(every = "6h", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> maintain() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return ensure(today).chain(() -> ensure(today.plusMonths(1))).chain(() -> ensure(today.plusMonths(2)))
                .chain(() -> checkpoint(today.minusMonths(1)))
                .invoke(written -> {
                    if (written > 0) {
                        LOG.infof("Wrote %d ledger checkpoint(s) for %s", written, today.minusMonths(1).withDayOfMonth(1));
                    }
                })
                .replaceWithVoid();
    }

    Uni<Void> ensure(LocalDate month) {
        return pool.preparedQuery("select ledger.ledger_ensure_partition($1)").execute(Tuple.of(month)).replaceWithVoid();
    }

    /** Idempotent: a month's checkpoints are written once; entries are never posted into a past month. */
    public Uni<Integer> checkpoint(LocalDate month) {
        return pool.preparedQuery("select ledger.ledger_checkpoint_month($1)").execute(Tuple.of(month))
                .map(rows -> rows.iterator().next().getInteger(0));
    }
}
