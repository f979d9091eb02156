package io.downline.commission.store;

import java.math.BigDecimal;
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

    /** Records the member's first paid order; true when this order is it (the only one that carries a sponsor bonus). */
    public Uni<Boolean> firstOrder(SqlClient conn, long memberId, UUID orderId, String period) {
        return conn.preparedQuery("""
                insert into commission.first_order (member_id, order_id, period) values ($1, $2, $3)
                on conflict (member_id) do nothing""")
                .execute(Tuple.of(memberId, orderId, period))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The BV taken back by all refunds of the order handled so far (this transaction's included). */
    public Uni<BigDecimal> returnedBv(SqlClient conn, UUID orderId) {
        return conn.preparedQuery("""
                select coalesce(sum(returned_bv), 0) as bv from commission.processed_event where source_order = $1 and type = 'order.refunded'""")
                .execute(Tuple.of(orderId)).map(rows -> rows.iterator().next().getBigDecimal("bv"));
    }

    public Uni<String> outcome(SqlClient conn, UUID eventId) {
        return conn.preparedQuery("select outcome from commission.processed_event where event_id = $1").execute(Tuple.of(eventId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("outcome"));
    }
}
