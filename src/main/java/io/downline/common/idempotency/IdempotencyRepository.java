package io.downline.common.idempotency;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class IdempotencyRepository {

    /** Far longer than any request may take (requests time out well before); an older claim belongs to a request that died. */
    private static final Duration LEASE = Duration.ofMinutes(2);

    record StoredResponse(String requestHash, Integer status, String body, String location) {
    }

    private final Pool pool;
    private final Duration retention;

    public IdempotencyRepository(Pool pool, @ConfigProperty(name = "downline.idempotency.retention") Duration retention) {
        this.pool = pool;
        this.retention = retention;
    }

    /** True when this call owns the key: it was new, or its earlier claim's lease ran out without a response. */
    Uni<Boolean> claim(String caller, String key, String requestHash) {
        return pool.preparedQuery("""
                insert into common.idempotency_key (caller, idempotency_key, request_hash, lease_until)
                values ($1, $2, $3, now() + make_interval(secs => $4))
                on conflict (caller, idempotency_key) do update
                   set request_hash = excluded.request_hash, lease_until = excluded.lease_until, created_at = now()
                 where idempotency_key.status_code is null and idempotency_key.lease_until < now()
                returning 1""")
                .execute(Tuple.of(caller, key, requestHash, (double) LEASE.toSeconds()))
                .map(rows -> rows.rowCount() == 1);
    }

    Uni<Void> complete(String caller, String key, int status, String body, String location) {
        return pool.preparedQuery("""
                update common.idempotency_key
                   set status_code = $3, response_body = $4, response_location = $5, completed_at = now()
                 where caller = $1 and idempotency_key = $2""")
                .execute(Tuple.of(caller, key, status, body, location))
                .replaceWithVoid();
    }

    Uni<Void> release(String caller, String key) {
        return pool.preparedQuery("delete from common.idempotency_key where caller = $1 and idempotency_key = $2 and status_code is null")
                .execute(Tuple.of(caller, key))
                .replaceWithVoid();
    }

    Uni<StoredResponse> find(String caller, String key) {
        return pool.preparedQuery("""
                select request_hash, status_code, response_body, response_location
                  from common.idempotency_key where caller = $1 and idempotency_key = $2""")
                .execute(Tuple.of(caller, key))
                .map(rows -> rows.rowCount() == 0 ? null : toStored(rows.iterator().next()));
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetExpired() {
        return pool.preparedQuery("delete from common.idempotency_key where created_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) retention.toSeconds()))
                .replaceWithVoid();
    }

    private static StoredResponse toStored(Row row) {
        return new StoredResponse(row.getString("request_hash"), row.getInteger("status_code"),
                row.getString("response_body"), row.getString("response_location"));
    }
}
