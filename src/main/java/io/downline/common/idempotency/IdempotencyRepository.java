package io.downline.common.idempotency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
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

    /**
     * Claims many keys in the caller's transaction, one statement (a group commit's batch): one row per key, in order,
     * with owned true when this transaction claimed it, else the record as it stood before the statement (null columns
     * when there was none: the key was claimed by a transaction that committed or was still running meanwhile). The
     * keys must be distinct.
     */
    Uni<List<Row>> claimAll(SqlClient conn, String[] callers, String[] keys, String[] requestHashes) {
        return conn.preparedQuery("""
                with item as (
                    select * from unnest($1::text[], $2::text[], $3::text[]) with ordinality as i(caller, idempotency_key, request_hash, n)),
                claimed as (
                    insert into common.idempotency_key (caller, idempotency_key, request_hash, lease_until)
                    select caller, idempotency_key, request_hash, now() + make_interval(secs => $4) from item
                     order by caller, idempotency_key
                    on conflict (caller, idempotency_key) do update
                       set request_hash = excluded.request_hash, lease_until = excluded.lease_until, created_at = now()
                     where idempotency_key.status_code is null and idempotency_key.lease_until < now()
                    returning caller, idempotency_key)
                select c.caller is not null as owned, k.request_hash, k.status_code, k.response_body, k.response_location
                  from item i
                  left join claimed c on c.caller = i.caller and c.idempotency_key = i.idempotency_key
                  left join common.idempotency_key k on c.caller is null and k.caller = i.caller and k.idempotency_key = i.idempotency_key
                 order by i.n""")
                .execute(Tuple.tuple().addArrayOfString(callers).addArrayOfString(keys).addArrayOfString(requestHashes)
                        .addDouble((double) LEASE.toSeconds()))
                .map(rows -> {
                    List<Row> result = new ArrayList<>(rows.rowCount());
                    rows.forEach(result::add);
                    return result;
                });
    }

    /**
     * In the caller's transaction, one statement: records the responses of the completed keys and frees the released
     * ones (claimed, but their request failed).
     */
    Uni<Void> settleAll(SqlClient conn, String[] callers, String[] keys, Integer[] statuses, String[] bodies, String[] locations,
            String[] releasedCallers, String[] releasedKeys) {
        return conn.preparedQuery("""
                with completed as (
                    update common.idempotency_key k
                       set status_code = c.status, response_body = c.body, response_location = c.location, completed_at = now()
                      from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[]) as c(caller, idempotency_key, status, body, location)
                     where k.caller = c.caller and k.idempotency_key = c.idempotency_key)
                delete from common.idempotency_key k using unnest($6::text[], $7::text[]) as r(caller, idempotency_key)
                 where k.caller = r.caller and k.idempotency_key = r.idempotency_key and k.status_code is null""")
                .execute(Tuple.tuple().addArrayOfString(callers).addArrayOfString(keys).addArrayOfInteger(statuses).addArrayOfString(bodies)
                        .addArrayOfString(locations).addArrayOfString(releasedCallers).addArrayOfString(releasedKeys))
                .replaceWithVoid();
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

    static StoredResponse toStored(Row row) {
        return new StoredResponse(row.getString("request_hash"), row.getInteger("status_code"),
                row.getString("response_body"), row.getString("response_location"));
    }
}
