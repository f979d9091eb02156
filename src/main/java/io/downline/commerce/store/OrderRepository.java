package io.downline.commerce.store;

import io.downline.commerce.api.CommerceOutbox;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.commerce.api.CommerceModels.Address;
import io.downline.commerce.api.CommerceModels.DocumentRef;
import io.downline.commerce.api.CommerceModels.OrderStatus;
import io.downline.commerce.api.CommerceModels.RefundStatus;
import io.downline.commerce.api.CommerceModels.ReturnLine;
import io.downline.commerce.api.CommerceModels.ReturnView;
import io.downline.common.money.Money;
import io.downline.common.problem.ProblemException;
import io.downline.tax.api.LineTax;
import io.downline.tax.api.SupplyType;
import io.downline.tax.api.TaxedLine;
import io.downline.tax.api.Totals;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.tuples.Tuple2;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.downline.commerce.api.CommerceModels;
import io.downline.commerce.app.CommerceConfig;
import io.downline.commerce.app.CommerceProblems;

/** SQL of orders and their lines. */
@ApplicationScoped
public class OrderRepository {

    public record Buyer(long distributorId, String memberCode, String fullName) {
    }

    public record StoredLine(int lineNo, long productId, String sku, String name, String hsn, String unit, int quantity, int returned,
            BigDecimal unitPrice, BigDecimal taxable, BigDecimal rate, LineTax tax, BigDecimal pv, BigDecimal bv) {

        public TaxedLine taxed() {
            return new TaxedLine(name, hsn, unit, quantity, unitPrice, taxable, rate, tax);
        }
    }

    public record StoredOrder(UUID id, long distributorId, String memberCode, String buyerName, String buyerGstin, boolean forCustomer,
            Address delivery, long warehouseId, String warehouseCode, String currency, SupplyType supplyType, BigDecimal taxableTotal,
            BigDecimal taxTotal, BigDecimal roundOff, BigDecimal grandTotal, BigDecimal pv, BigDecimal bv, OrderStatus status, Instant createdAt, Instant paidAt, String paymentReference, String volumePeriod,
            UUID invoiceId, String invoiceNumber, List<StoredLine> lines) {

        public boolean paid() {
            return status == OrderStatus.PAID;
        }

        /** The order as its payment leaves it, without reading it back. */
        public StoredOrder paidWith(String reference, Instant at, String period, UUID invoice, String number) {
            return new StoredOrder(id, distributorId, memberCode, buyerName, buyerGstin, forCustomer, delivery, warehouseId, warehouseCode,
                    currency, supplyType, taxableTotal, taxTotal, roundOff, grandTotal, pv, bv, OrderStatus.PAID, createdAt, at, reference, period,
                    invoice, number, lines);
        }
    }

    public Uni<Buyer> buyerOfUser(SqlClient conn, UUID userId) {
        return conn.preparedQuery("select id, member_code, full_name from genealogy.distributor where user_id = $1 and status = 'ACTIVE'")
                .execute(Tuple.of(userId))
                .map(rows -> rows.rowCount() == 0 ? null : toBuyer(rows.iterator().next()));
    }

    /**
     * The warehouse to fulfil from: among the active ones in the country that hold every line in stock, those in the
     * delivery region first (when the rule says so), then the most units of the ordered products, then the oldest.
     */
    public Uni<StockRepository.Warehouse> chooseWarehouse(SqlClient conn, String country, String region, long[] productIds, int[] quantities,
            CommerceConfig.WarehouseRule rule) {
        Long[] ids = new Long[productIds.length];
        Integer[] counts = new Integer[quantities.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = productIds[i];
            counts[i] = quantities[i];
        }
        return conn.preparedQuery("""
                select w.*, sum(s.quantity) as units
                  from commerce.warehouse w
                  join commerce.stock s on s.warehouse_id = w.id
                  join unnest($2::bigint[], $3::int[]) as need(product_id, quantity) on need.product_id = s.product_id
                 where w.active and w.country = $1 and s.quantity >= need.quantity
                 group by w.id
                having count(*) = $4
                 order by case when $6 and w.region = $5 then 0 else 1 end, units desc, w.id
                 limit 1""")
                .execute(Tuple.tuple().addString(country).addArrayOfLong(ids).addArrayOfInteger(counts).addInteger(ids.length)
                        .addString(region).addBoolean(rule == CommerceConfig.WarehouseRule.SAME_REGION_FIRST))
                .map(rows -> rows.rowCount() == 0 ? null : StockRepository.toWarehouse(rows.iterator().next()));
    }

    public Uni<Void> insert(SqlClient conn, StoredOrder order, String actor) {
        Address delivery = order.delivery();
        return conn.preparedQuery("""
                insert into commerce.customer_order (id, distributor_id, buyer_name, buyer_gstin, for_customer, delivery, delivery_country,
                    delivery_region, warehouse_id, currency, supply_type, taxable_total, tax_total, round_off, grand_total, pv_total,
                    bv_total, status, created_by, created_at)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'PENDING', $18, $19)""")
                .execute(Tuple.tuple().addUUID(order.id()).addLong(order.distributorId()).addString(order.buyerName())
                        .addString(order.buyerGstin()).addBoolean(order.forCustomer()).addJsonObject(JsonObject.mapFrom(delivery))
                        .addString(delivery.country()).addString(delivery.region()).addLong(order.warehouseId()).addString(order.currency())
                        .addString(order.supplyType().name()).addBigDecimal(order.taxableTotal()).addBigDecimal(order.taxTotal())
                        .addBigDecimal(order.roundOff()).addBigDecimal(order.grandTotal()).addBigDecimal(order.pv()).addBigDecimal(order.bv())
                        .addString(actor).addOffsetDateTime(order.createdAt().atOffset(ZoneOffset.UTC)))
                .chain(() -> {
                    List<Tuple> batch = new ArrayList<>();
                    for (StoredLine l : order.lines()) {
                        batch.add(Tuple.tuple().addUUID(order.id()).addInteger(l.lineNo()).addLong(l.productId()).addString(l.sku())
                                .addString(l.name()).addString(l.hsn()).addString(l.unit()).addInteger(l.quantity())
                                .addBigDecimal(l.unitPrice()).addBigDecimal(l.taxable()).addBigDecimal(l.rate())
                                .addBigDecimal(l.tax().cgst()).addBigDecimal(l.tax().sgst()).addBigDecimal(l.tax().utgst())
                                .addBigDecimal(l.tax().igst()).addBigDecimal(l.tax().vat()).addBigDecimal(l.pv()).addBigDecimal(l.bv()));
                    }
                    return conn.preparedQuery("""
                            insert into commerce.order_line (order_id, line_no, product_id, sku, name, hsn, unit, quantity, unit_price, taxable,
                                rate, cgst, sgst, utgst, igst, vat, pv, bv)
                            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)""")
                            .executeBatch(batch);
                })
                .replaceWithVoid();
    }

    private static final String ORDER_SELECT = """
            select o.*, d.member_code, w.code as warehouse_code, i.id as invoice_id, i.number as invoice_number
              from commerce.customer_order o
              join genealogy.distributor d on d.id = o.distributor_id
              join commerce.warehouse w on w.id = o.warehouse_id
              left join tax.invoice i on i.order_id = o.id and i.doc_type = 'INV'""";

    /** The order with its lines, or null; locked for update when asked (payments and returns). */
    /** Whether a tax invoice with this number was issued, or a paid order has this id (text that is not a UUID is no id). */
    public Uni<Boolean> isPurchase(SqlClient conn, String number) {
        return conn.preparedQuery("""
                select exists (select from tax.invoice where doc_type = 'INV' and number = $1)
                    or exists (select from commerce.customer_order where status = 'PAID' and id::text = lower($1)) as found""")
                .execute(Tuple.of(number)).map(rows -> rows.iterator().next().getBoolean("found"));
    }

    public Uni<StoredOrder> order(SqlClient conn, UUID id, boolean lock) {
        // The statements go out at once and PostgreSQL runs them in order, so the order and its lines are read after the
        // lock is held. The lock is a statement of its own: a locking read re-checks only the locked row once the lock is
        // granted, so it would miss the invoice the payment it waited for has just issued.
        Uni<RowSet<Row>> locked = lock ? conn.preparedQuery("select 1 from commerce.customer_order where id = $1 for update").execute(Tuple.of(id))
                : Uni.createFrom().nullItem();
        Uni<RowSet<Row>> head = conn.preparedQuery(ORDER_SELECT + " where o.id = $1").execute(Tuple.of(id));
        Uni<RowSet<Row>> lines = conn.preparedQuery("select * from commerce.order_line where order_id = $1 order by line_no").execute(Tuple.of(id));
        return Uni.combine().all().unis(locked, head, lines).asTuple()
                .map(all -> Tuple2.of(all.getItem2(), all.getItem3()))
                .map(both -> both.getItem1().rowCount() == 0 ? null
                        : toOrder(both.getItem1().iterator().next(), CatalogueRepository.list(both.getItem2(), OrderRepository::toLine)));
    }

    /** A page of orders, newest first: the distributor's own, or everyone's when distributorId is null. */
    public Uni<List<StoredOrder>> orders(SqlClient conn, Long distributorId, Instant beforeCreated, UUID beforeId, int limit) {
        return conn.preparedQuery(ORDER_SELECT + """
                 where ($1::bigint is null or o.distributor_id = $1) and (o.created_at, o.id) < ($2, $3)
                 order by o.created_at desc, o.id desc limit $4""")
                .execute(Tuple.of(distributorId, beforeCreated.atOffset(ZoneOffset.UTC), beforeId, limit))
                .map(rows -> CatalogueRepository.list(rows, row -> toOrder(row, List.of())));
    }

    public Uni<Void> markPaid(SqlClient conn, UUID id, String reference, OffsetDateTime paidAt, String period) {
        return conn.preparedQuery("""
                update commerce.customer_order set status = 'PAID', payment_reference = $2, paid_at = $3, volume_period = $4 where id = $1""")
                .execute(Tuple.of(id, reference, paidAt, period)).replaceWithVoid();
    }

    public Uni<Void> addReturned(SqlClient conn, UUID orderId, int lineNo, int quantity) {
        return conn.preparedQuery("""
                update commerce.order_line set returned_quantity = returned_quantity + $3 where order_id = $1 and line_no = $2""")
                .execute(Tuple.of(orderId, lineNo, quantity)).replaceWithVoid();
    }

    /** Adds (or with negative amounts removes) personal volume in the period: an entry row and the period total. */
    public Uni<Void> insertReturn(SqlClient conn, UUID id, StoredOrder order, long warehouseId, UUID creditNoteId, BigDecimal refund,
            String reason, String period, String actor, Instant at, JsonArray lines) {
        return conn.preparedQuery("""
                insert into commerce.order_return (id, order_id, warehouse_id, credit_note_id, refund_amount, currency, refund_status, reason,
                    volume_period, created_by, created_at, lines)
                values ($1, $2, $3, $4, $5, $6, 'RECORDED', $7, $8, $9, $10, $11)""")
                .execute(Tuple.tuple().addUUID(id).addUUID(order.id()).addLong(warehouseId).addUUID(creditNoteId).addBigDecimal(refund)
                        .addString(order.currency()).addString(reason).addString(period).addString(actor)
                        .addOffsetDateTime(at.atOffset(ZoneOffset.UTC)).addJsonArray(lines))
                .replaceWithVoid();
    }

    public Uni<List<ReturnView>> returns(SqlClient conn, UUID orderId) {
        return conn.preparedQuery("""
                select r.*, w.code, i.number from commerce.order_return r join commerce.warehouse w on w.id = r.warehouse_id
                  join tax.invoice i on i.id = r.credit_note_id where r.order_id = $1 order by r.created_at, r.id""")
                .execute(Tuple.of(orderId))
                .map(rows -> CatalogueRepository.list(rows, row -> {
                    List<ReturnLine> lines = new ArrayList<>();
                    row.getJsonArray("lines").forEach(item -> {
                        JsonObject line = (JsonObject) item;
                        lines.add(new ReturnLine(line.getInteger("lineNo"), line.getInteger("quantity")));
                    });
                    return new ReturnView(row.getUUID("id"), orderId, row.getString("code"),
                            new DocumentRef(row.getUUID("credit_note_id"), row.getString("number")),
                            Money.of(row.getBigDecimal("refund_amount"), row.getString("currency")), RefundStatus.valueOf(row.getString("refund_status")),
                            row.getString("volume_period"), lines, row.getString("reason"), row.getOffsetDateTime("created_at").toInstant());
                }));
    }

    /** Keeps a refused gateway payment for finance; a repeated delivery of the same notice is kept once. */
    public Uni<Void> recordPaymentException(SqlClient conn, String reference, UUID orderId, BigDecimal amount, String currency, String reason) {
        return conn.preparedQuery("""
                insert into commerce.payment_exception (reference, order_id, amount, currency, reason) values ($1, $2, $3, $4, $5)
                on conflict (reference) do nothing""")
                .execute(Tuple.of(reference, orderId, amount, currency, reason)).replaceWithVoid();
    }

    /** Payment exceptions received before (beforeReceived, beforeReference), newest first. */
    public Uni<List<CommerceModels.PaymentExceptionView>> paymentExceptions(SqlClient conn, Instant beforeReceived, String beforeReference, int limit) {
        return conn.preparedQuery("""
                select reference, order_id, amount, currency, reason, received_at from commerce.payment_exception
                 where (received_at, reference) < ($1, $2) order by received_at desc, reference desc limit $3""")
                .execute(Tuple.of(beforeReceived.atOffset(ZoneOffset.UTC), beforeReference, limit))
                .map(rows -> CatalogueRepository.list(rows, r -> new CommerceModels.PaymentExceptionView(r.getString("reference"),
                        r.getUUID("order_id"), Money.of(r.getBigDecimal("amount"), r.getString("currency")), r.getString("reason"),
                        r.getOffsetDateTime("received_at").toInstant())));
    }

    /** Writes an event to the transactional outbox, in the caller's transaction; consumers are woken when it commits. */
    public Uni<Void> publish(SqlClient conn, String type, JsonObject payload) {
        return conn.preparedQuery("with e as (insert into commerce.outbox_event (id, type, payload) values ($1, $2, $3) returning type) "
                        + "select pg_notify('" + CommerceOutbox.CHANNEL + "', type) from e")
                .execute(Tuple.of(UUID.randomUUID(), type, payload)).replaceWithVoid();
    }

    private static Buyer toBuyer(Row row) {
        return new Buyer(row.getLong("id"), row.getString("member_code"), row.getString("full_name"));
    }

    private static StoredLine toLine(Row row) {
        return new StoredLine(row.getInteger("line_no"), row.getLong("product_id"), row.getString("sku"), row.getString("name"),
                row.getString("hsn"), row.getString("unit"), row.getInteger("quantity"), row.getInteger("returned_quantity"),
                row.getBigDecimal("unit_price"), row.getBigDecimal("taxable"), CatalogueRepository.rate(row.getBigDecimal("rate")),
                new LineTax(row.getBigDecimal("cgst"), row.getBigDecimal("sgst"), row.getBigDecimal("utgst"), row.getBigDecimal("igst"),
                        row.getBigDecimal("vat")),
                row.getBigDecimal("pv"), row.getBigDecimal("bv"));
    }

    private static StoredOrder toOrder(Row row, List<StoredLine> lines) {
        Address delivery = row.getJsonObject("delivery").mapTo(Address.class);
        OffsetDateTime paidAt = row.getOffsetDateTime("paid_at");
        return new StoredOrder(row.getUUID("id"), row.getLong("distributor_id"), row.getString("member_code"), row.getString("buyer_name"),
                row.getString("buyer_gstin"), row.getBoolean("for_customer"), delivery, row.getLong("warehouse_id"),
                row.getString("warehouse_code"), row.getString("currency"), SupplyType.valueOf(row.getString("supply_type")),
                row.getBigDecimal("taxable_total"), row.getBigDecimal("tax_total"), row.getBigDecimal("round_off"),
                row.getBigDecimal("grand_total"),
                row.getBigDecimal("pv_total"), row.getBigDecimal("bv_total"), OrderStatus.valueOf(row.getString("status")),
                row.getOffsetDateTime("created_at").toInstant(), paidAt == null ? null : paidAt.toInstant(),
                row.getString("payment_reference"), row.getString("volume_period"), row.getUUID("invoice_id"),
                row.getString("invoice_number"), lines);
    }

    public static ProblemException unknownOrder(UUID id) {
        return CommerceProblems.notFound("No order " + id + " that you may see.");
    }
}
