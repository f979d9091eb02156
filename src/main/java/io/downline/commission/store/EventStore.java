package io.downline.commission.store;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL of commission.processed_event and commission.first_order. */
@ApplicationScoped
public class EventStore {

    /** Records the event as handled; false when it was handled before (a redelivery), so it must do nothing. */
    public Uni<Boolean> markProcessed(SqlClient conn, UUID eventId, String type, UUID sourceOrder, BigDecimal returnedBv, String outcome) {
        return conn.preparedQuery("""
                insert into commission.processed_event (event_id, type, source_order, returned_bv, outcome) values ($1, $2, $3, $4, $5)
                on conflict (event_id) do nothing""")
                .execute(Tuple.of(eventId, type, sourceOrder, returnedBv, outcome))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Records the events as handled, all in one statement; answers those handled for the first time (a redelivered id
     * is left out, and must do nothing).
     */
    public Uni<Set<UUID>> markProcessed(SqlClient conn, List<UUID> eventIds, List<String> types, List<UUID> sourceOrders, List<String> outcomes) {
        if (eventIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return conn.preparedQuery("""
                insert into commission.processed_event (event_id, type, source_order, outcome)
                select * from unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[])
                on conflict (event_id) do nothing returning event_id""")
                .execute(Tuple.tuple().addArrayOfUUID(eventIds.toArray(UUID[]::new)).addArrayOfString(types.toArray(String[]::new))
                        .addArrayOfUUID(sourceOrders.toArray(UUID[]::new)).addArrayOfString(outcomes.toArray(String[]::new)))
                .map(rows -> {
                    Set<UUID> fresh = new HashSet<>();
                    rows.forEach(row -> fresh.add(row.getUUID("event_id")));
                    return fresh;
                });
    }

    /**
     * Records each member's first paid order, for many orders at once (in the given order: of two orders of a new buyer,
     * the earlier is the first); answers the orders that are their buyer's first (the only ones that carry a sponsor bonus).
     */
    public Uni<Set<UUID>> firstOrders(SqlClient conn, List<Long> memberIds, List<UUID> orderIds, List<String> periods) {
        if (memberIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return conn.preparedQuery("""
                insert into commission.first_order (member_id, order_id, period)
                select member_id, order_id, period
                  from unnest($1::bigint[], $2::uuid[], $3::text[]) with ordinality as o(member_id, order_id, period, n)
                 order by n
                on conflict do nothing returning order_id""")
                .execute(Tuple.tuple().addArrayOfLong(memberIds.toArray(Long[]::new)).addArrayOfUUID(orderIds.toArray(UUID[]::new))
                        .addArrayOfString(periods.toArray(String[]::new)))
                .map(rows -> {
                    Set<UUID> first = new HashSet<>();
                    rows.forEach(row -> first.add(row.getUUID("order_id")));
                    return first;
                });
    }

    /** The BV taken back by all refunds of the order handled so far (this transaction's included). */
    public Uni<BigDecimal> returnedBv(SqlClient conn, UUID orderId) {
        return conn.preparedQuery("""
                select coalesce(sum(returned_bv), 0) as bv from commission.processed_event where source_order = $1 and type = 'order.refunded'""")
                .execute(Tuple.of(orderId)).map(rows -> rows.iterator().next().getBigDecimal("bv"));
    }

    /** Forgets that the event was dead-lettered, so that a replay handles it as new (and records its real outcome). */
    public Uni<Void> forgetDeadLettered(SqlClient conn, UUID eventId) {
        return conn.preparedQuery("delete from commission.processed_event where event_id = $1 and outcome = 'dead-lettered'")
                .execute(Tuple.of(eventId)).replaceWithVoid();
    }

    public Uni<String> outcome(SqlClient conn, UUID eventId) {
        return conn.preparedQuery("select outcome from commission.processed_event where event_id = $1").execute(Tuple.of(eventId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("outcome"));
    }
}
