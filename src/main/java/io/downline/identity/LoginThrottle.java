package io.downline.identity;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
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
    private final int accountAttempts;
    private final Duration accountWindow;

    public LoginThrottle(Pool pool,
            @ConfigProperty(name = "downline.auth.throttle.account-failures") int accountAttempts,
            @ConfigProperty(name = "downline.auth.throttle.account-window") Duration accountWindow) {
        this.pool = pool;
        this.accountAttempts = accountAttempts;
        this.accountWindow = accountWindow;
    }

    /** Counts a password check against the account, refusing it past the limit; a success clears the count. */
    Uni<Void> hitAccount(String username) {
        return hit("account:" + username, accountAttempts, accountWindow)
                .invoke(wait -> refuseIfThrottled(wait, "Too many failed password checks for this account."))
                .replaceWithVoid();
    }

    Uni<Void> clearAccount(String username) {
        return clear("account:" + username);
    }

    public static void refuseIfThrottled(Duration wait, String detail) {
        if (wait != null) {
            throw ProblemException.retryAfter(ProblemType.TOO_MANY_REQUESTS, detail + " Try again later.", wait);
        }
    }

    /** Counts one attempt and tells whether the bucket is now over its limit. */
    public Uni<Duration> hit(String bucket, int limit, Duration window) {
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
