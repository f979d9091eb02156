package io.downline.identity.app;

import io.downline.identity.api.Throttle;

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
import io.downline.identity.store.SessionRepository;

/**
 * Fixed-window counters in PostgreSQL, so every replica sees the same count. A result of null means "go ahead";
 * otherwise it is how long the caller must wait.
 *
 * <p>Password checks are counted per account and client address: a guesser's address waits, the owner elsewhere does
 * not, so nobody can lock an account by failing on purpose. Guesses spread over many addresses are caught by a second,
 * higher count per account; past it, only the account's known places (addresses it logged in from before) go on, and
 * new places wait.
 */
@ApplicationScoped
public class LoginThrottle implements Throttle {

    private final Pool pool;
    private final SessionRepository sessions;
    private final int placeAttempts;
    private final int accountAttempts;
    private final Duration window;

    public LoginThrottle(Pool pool, SessionRepository sessions,
            @ConfigProperty(name = "downline.auth.throttle.account-failures") int placeAttempts,
            @ConfigProperty(name = "downline.auth.throttle.account-failures-all-addresses") int accountAttempts,
            @ConfigProperty(name = "downline.auth.throttle.account-window") Duration window) {
        this.pool = pool;
        this.sessions = sessions;
        this.placeAttempts = placeAttempts;
        this.accountAttempts = accountAttempts;
        this.window = window;
    }

    /**
     * Counts a password check of the account from the address before it is made, so parallel guesses cannot slip past
     * the limits; refuses it (429) when this address is over its limit, or when the account is over its own and the
     * address is not one it logged in from.
     */
    Uni<Void> beforePasswordCheck(String username, String address) {
        return hit(placeBucket(username, address), placeAttempts, window)
                .invoke(wait -> Throttle.refuseIfThrottled(wait, "Too many failed password checks for this account from this address."))
                .chain(() -> hit(accountBucket(username), accountAttempts, window))
                .chain(wait -> wait == null ? Uni.createFrom().voidItem()
                        : sessions.knownPlace(username, address).invoke(known -> {
                            if (!known) {
                                Throttle.refuseIfThrottled(wait, "This account is receiving many wrong passwords, so logins from new places wait.");
                            }
                        }).replaceWithVoid());
    }

    /** The right password: this address starts over, and the check does not count against the account. */
    Uni<Void> afterCorrectPassword(String username, String address) {
        return clear(placeBucket(username, address))
                .chain(() -> pool.preparedQuery("update identity.login_throttle set attempts = attempts - 1 where bucket = $1 and attempts > 0")
                        .execute(Tuple.of(accountBucket(username))))
                .replaceWithVoid();
    }

    /** Proven control of the account (a password reset): neither the account nor any address waits any more. */
    Uni<Void> clearAccount(String username) {
        return pool.preparedQuery("delete from identity.login_throttle where bucket = $1 or left(bucket, length($1) + 1) = $1 || '@'")
                .execute(Tuple.of(accountBucket(username))).replaceWithVoid();
    }

    private static String placeBucket(String username, String address) {
        return "account:" + username + "@" + address;
    }

    private static String accountBucket(String username) {
        return "account:" + username;
    }

    /** Counts one attempt and tells whether the bucket is now over its limit. */
    @Override
    public Uni<Duration> hit(String bucket, int limit, Duration window) {
        return pool.preparedQuery("""
                insert into identity.login_throttle as t (bucket, window_started_at, attempts) values ($1, now(), 1)
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
        return pool.preparedQuery("delete from identity.login_throttle where bucket = $1").execute(Tuple.of(bucket)).replaceWithVoid();
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetOldWindows() {
        return pool.query("delete from identity.login_throttle where window_started_at < now() - interval '1 day'").execute().replaceWithVoid();
    }

    private static Duration over(Row row, int blockedFrom) {
        if (row.getInteger("attempts") < blockedFrom) {
            return null;
        }
        return Duration.ofMillis(Math.max(1000, (long) (row.getDouble("wait") * 1000)));
    }
}
