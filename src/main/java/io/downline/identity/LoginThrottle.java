package io.downline.identity;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Fixed-window counters in PostgreSQL, so every replica sees the same count. A result of null means "go ahead";
 * otherwise it is how long the caller must wait.
 */
@ApplicationScoped
public class LoginThrottle {

    private final Pool pool;

    public LoginThrottle(Pool pool) {
        this.pool = pool;
    }

    /** Counts one attempt and tells whether the bucket is now over its limit. */
    Uni<Duration> hit(String bucket, int limit, Duration window) {
        return pool.preparedQuery("""
                insert into login_throttle as t (bucket, window_started_at, attempts) values ($1, now(), 1)
                on conflict (bucket) do update set
                    window_started_at = case when t.window_started_at <= now() - make_interval(secs => $2) then now()
                                             else t.window_started_at end,
                    attempts = case when t.window_started_at <= now() - make_interval(secs => $2) then 1
                                    else t.attempts + 1 end
                returning t.attempts, extract(epoch from t.window_started_at + make_interval(secs => $2) - now())::float8 as wait""")
                .execute(Tuple.of(bucket, (double) window.toSeconds()))
                .map(rows -> over(rows.iterator().next(), limit + 1));
    }

    /** Tells, without counting, whether the bucket has reached its limit in the current window. */
    Uni<Duration> check(String bucket, int limit, Duration window) {
        return pool.preparedQuery("""
                select attempts, extract(epoch from window_started_at + make_interval(secs => $2) - now())::float8 as wait
                  from login_throttle where bucket = $1 and window_started_at > now() - make_interval(secs => $2)""")
                .execute(Tuple.of(bucket, (double) window.toSeconds()))
                .map(rows -> rows.rowCount() == 0 ? null : over(rows.iterator().next(), limit));
    }

    Uni<Void> clear(String bucket) {
        return pool.preparedQuery("delete from login_throttle where bucket = $1").execute(Tuple.of(bucket)).replaceWithVoid();
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetOldWindows() {
        return pool.query("delete from login_throttle where window_started_at < now() - interval '1 day'").execute().replaceWithVoid();
    }

    private static Duration over(Row row, int blockedFrom) {
        if (row.getInteger("attempts") < blockedFrom) {
            return null;
        }
        return Duration.ofMillis(Math.max(1000, (long) (row.getDouble("wait") * 1000)));
    }
}
