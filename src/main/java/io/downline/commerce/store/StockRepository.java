package io.downline.commerce.store;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.commerce.api.CommerceModels.ExpenseRequest;
import io.downline.commerce.api.CommerceModels.ExpenseView;
import io.downline.commerce.api.CommerceModels.MovementKind;
import io.downline.commerce.api.CommerceModels.StockMovementView;
import io.downline.commerce.api.CommerceModels.StockView;
import io.downline.commerce.api.CommerceModels.WarehouseRequest;
import io.downline.commerce.api.CommerceModels.WarehouseView;
import io.downline.common.money.Money;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL of warehouses, their representatives, stock levels, stock movements and expenses. */
@ApplicationScoped
public class StockRepository {

    public record Warehouse(long id, String code, String name, String address, String city, String postalCode, String region, String country,
            String taxId, String invoiceSeries, boolean active) {
    }

    public Uni<Void> insertWarehouse(SqlClient conn, WarehouseRequest w) {
        return conn.preparedQuery("""
                insert into commerce.warehouse (code, name, address, city, postal_code, region, country, tax_id, invoice_series)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9)""")
                .execute(Tuple.tuple().addString(w.code()).addString(w.name().trim()).addString(w.address().trim()).addString(w.city().trim())
                        .addString(w.postalCode()).addString(w.region()).addString(w.country()).addString(w.taxId())
                        .addString(w.invoiceSeries()))
                .replaceWithVoid();
    }

    public Uni<Warehouse> warehouse(SqlClient conn, String code) {
        return conn.preparedQuery("select * from commerce.warehouse where code = $1").execute(Tuple.of(code))
                .map(rows -> rows.rowCount() == 0 ? null : toWarehouse(rows.iterator().next()));
    }

    public Uni<Warehouse> warehouse(SqlClient conn, long id) {
        return conn.preparedQuery("select * from commerce.warehouse where id = $1").execute(Tuple.of(id))
                .map(rows -> toWarehouse(rows.iterator().next()));
    }

    private static final String WAREHOUSE_VIEWS = """
            select w.*, coalesce(array_agg(u.username order by u.username) filter (where u.username is not null), '{}') as employees
              from commerce.warehouse w left join commerce.warehouse_employee e on e.warehouse_id = w.id left join identity.app_user u on u.id = e.user_id
            """;

    /** Warehouses by code, after the given code when there is one. */
    public Uni<List<WarehouseView>> warehouses(SqlClient conn, String afterCode, int limit) {
        return conn.preparedQuery(WAREHOUSE_VIEWS + " where $1::text is null or w.code > $1 group by w.id order by w.code limit $2")
                .execute(Tuple.of(afterCode, limit))
                .map(rows -> CatalogueRepository.list(rows, StockRepository::toWarehouseView));
    }

    /** The warehouse with its representatives; it must exist. */
    public Uni<WarehouseView> warehouseView(SqlClient conn, String code) {
        return conn.preparedQuery(WAREHOUSE_VIEWS + " where w.code = $1 group by w.id").execute(Tuple.of(code))
                .map(rows -> toWarehouseView(rows.iterator().next()));
    }

    private static WarehouseView toWarehouseView(Row row) {
        Warehouse w = toWarehouse(row);
        return new WarehouseView(w.code(), w.name(), w.address(), w.city(), w.postalCode(), w.region(), w.country(), w.taxId(),
                w.invoiceSeries(), List.of(row.getArrayOfStrings("employees")), w.active());
    }

    /** Adds the account as a representative of the warehouse; false when there is no such account. */
    public Uni<Boolean> addEmployee(SqlClient conn, long warehouseId, String username) {
        return conn.preparedQuery("""
                insert into commerce.warehouse_employee (warehouse_id, user_id) select $1, id from identity.app_user where username = $2
                on conflict do nothing returning user_id""")
                .execute(Tuple.of(warehouseId, username))
                .chain(rows -> rows.rowCount() > 0 ? Uni.createFrom().item(true)
                        : conn.preparedQuery("select 1 from identity.app_user where username = $1").execute(Tuple.of(username))
                                .map(found -> found.rowCount() > 0));
    }

    public Uni<Boolean> isEmployee(SqlClient conn, long warehouseId, UUID userId) {
        return conn.preparedQuery("select 1 from commerce.warehouse_employee where warehouse_id = $1 and user_id = $2")
                .execute(Tuple.of(warehouseId, userId)).map(rows -> rows.rowCount() > 0);
    }

    public Uni<Long> productId(SqlClient conn, String sku) {
        return conn.preparedQuery("select id from commerce.product where sku = $1").execute(Tuple.of(sku))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getLong("id"));
    }

    /**
     * Changes the quantity by delta and returns the new balance, or null when the warehouse has fewer units than a
     * decrease takes. The row stays locked until the transaction ends; callers change rows in (warehouse, product)
     * order so that concurrent transactions never wait on each other in a circle.
     */
    public Uni<Integer> change(SqlClient conn, long warehouseId, long productId, int delta) {
        String sql = delta > 0 ? """
                insert into commerce.stock (warehouse_id, product_id, quantity) values ($1, $2, $3)
                on conflict (warehouse_id, product_id) do update set quantity = stock.quantity + excluded.quantity returning quantity"""
                : "update commerce.stock set quantity = quantity + $3 where warehouse_id = $1 and product_id = $2 and quantity + $3 >= 0 returning quantity";
        return conn.preparedQuery(sql).execute(Tuple.of(warehouseId, productId, delta))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getInteger("quantity"));
    }

    /**
     * A sale of units of one product: the decrease and its SALE movement in one statement. Returns the balance after it,
     * or null when the warehouse has fewer units (then nothing changed). Locks the stock row like {@link #change}.
     */
    public Uni<Integer> sell(SqlClient conn, long warehouseId, long productId, int quantity, String reason, String actor, UUID orderId) {
        return conn.preparedQuery("""
                with taken as (
                    update commerce.stock set quantity = quantity - $3::int
                     where warehouse_id = $1 and product_id = $2 and quantity >= $3::int returning quantity)
                insert into commerce.stock_movement (warehouse_id, product_id, kind, quantity, balance, reason, actor, order_id)
                select $1, $2, 'SALE', -($3::int), quantity, $4, $5, $6 from taken returning balance""")
                .execute(Tuple.tuple().addLong(warehouseId).addLong(productId).addInteger(quantity).addString(reason).addString(actor)
                        .addUUID(orderId))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getInteger("balance"));
    }

    public record Movement(long warehouseId, long productId, MovementKind kind, int quantity, int balance, Money unitCost, String reason,
            String actor, UUID orderId) {
    }

    public Uni<List<Long>> insertMovements(SqlClient conn, List<Movement> movements) {
        List<Tuple> batch = new ArrayList<>();
        for (Movement m : movements) {
            batch.add(Tuple.tuple().addLong(m.warehouseId()).addLong(m.productId()).addString(m.kind().name()).addInteger(m.quantity())
                    .addInteger(m.balance()).addBigDecimal(m.unitCost() == null ? null : m.unitCost().amount())
                    .addString(m.unitCost() == null ? null : m.unitCost().currency()).addString(m.reason())
                    .addString(m.actor()).addUUID(m.orderId()));
        }
        return conn.preparedQuery("""
                insert into commerce.stock_movement (warehouse_id, product_id, kind, quantity, balance, unit_cost, cost_currency, reason, actor, order_id)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id""")
                .executeBatch(batch)
                .map(rows -> {
                    List<Long> ids = new ArrayList<>();
                    for (var set = rows; set != null; set = set.next()) {
                        set.forEach(row -> ids.add(row.getLong("id")));
                    }
                    return ids;
                });
    }

    private static final String MOVEMENT_SELECT = """
            select m.*, w.code, p.sku from commerce.stock_movement m join commerce.warehouse w on w.id = m.warehouse_id join commerce.product p on p.id = m.product_id""";

    public Uni<List<StockMovementView>> movements(SqlClient conn, List<Long> ids) {
        return conn.preparedQuery(MOVEMENT_SELECT + " where m.id = any($1) order by m.id").execute(Tuple.of(ids.toArray(Long[]::new)))
                .map(rows -> CatalogueRepository.list(rows, StockRepository::toMovement));
    }

    public Uni<List<StockMovementView>> movements(SqlClient conn, long warehouseId, long beforeId, int limit) {
        return conn.preparedQuery(MOVEMENT_SELECT + " where m.warehouse_id = $1 and m.id < $2 order by m.id desc limit $3")
                .execute(Tuple.of(warehouseId, beforeId, limit))
                .map(rows -> CatalogueRepository.list(rows, StockRepository::toMovement));
    }

    /** The warehouse's stock by SKU, after the given SKU when there is one. */
    public Uni<List<StockView>> stock(SqlClient conn, long warehouseId, String afterSku, int limit) {
        return conn.preparedQuery("""
                select p.sku, p.name, s.quantity from commerce.stock s join commerce.product p on p.id = s.product_id
                 where s.warehouse_id = $1 and ($2::text is null or p.sku > $2) order by p.sku limit $3""")
                .execute(Tuple.of(warehouseId, afterSku, limit))
                .map(rows -> CatalogueRepository.list(rows, row -> new StockView(row.getString("sku"), row.getString("name"),
                        row.getInteger("quantity"))));
    }

    public Uni<ExpenseView> insertExpense(SqlClient conn, Warehouse warehouse, ExpenseRequest expense, String actor) {
        return conn.preparedQuery("""
                insert into commerce.warehouse_expense (warehouse_id, amount, currency, description, actor, spent_on)
                values ($1, $2, $3, $4, $5, $6) returning id""")
                .execute(Tuple.of(warehouse.id(), expense.amount().amount(), expense.amount().currency(), expense.description().trim(),
                        actor, expense.spentOn()))
                .map(rows -> new ExpenseView(rows.iterator().next().getLong("id"), warehouse.code(), expense.amount(),
                        expense.description().trim(), actor, expense.spentOn()));
    }

    public record ActivityRow(String actor, int receivedUnits, BigDecimal receivedValue, int receipts, BigDecimal expenses, int expenseCount) {
    }

    /** Per employee of the warehouse: goods received (units and cost) and expenses, in the date range (inclusive). */
    public Uni<List<ActivityRow>> activity(SqlClient conn, long warehouseId, LocalDate from, LocalDate to) {
        return conn.preparedQuery("""
                with receipts as (
                    select actor, sum(quantity)::int as units, coalesce(sum(quantity * unit_cost), 0) as value, count(*)::int as n
                      from commerce.stock_movement
                     where warehouse_id = $1 and kind = 'RECEIPT' and created_at >= $2::date and created_at < $3::date + 1
                     group by actor),
                expenses as (
                    select actor, sum(amount) as amount, count(*)::int as n from commerce.warehouse_expense
                     where warehouse_id = $1 and spent_on between $2 and $3 group by actor)
                select coalesce(r.actor, e.actor) as actor, coalesce(r.units, 0) as units, coalesce(r.value, 0) as value,
                       coalesce(r.n, 0) as receipts, coalesce(e.amount, 0) as expenses, coalesce(e.n, 0) as expense_count
                  from receipts r full join expenses e on e.actor = r.actor order by 1""")
                .execute(Tuple.of(warehouseId, from, to))
                .map(rows -> CatalogueRepository.list(rows, row -> new ActivityRow(row.getString("actor"), row.getInteger("units"),
                        row.getBigDecimal("value"), row.getInteger("receipts"), row.getBigDecimal("expenses"),
                        row.getInteger("expense_count"))));
    }

    static Warehouse toWarehouse(Row row) {
        return new Warehouse(row.getLong("id"), row.getString("code"), row.getString("name"), row.getString("address"),
                row.getString("city"), row.getString("postal_code"), row.getString("region"), row.getString("country"),
                row.getString("tax_id"), row.getString("invoice_series"), row.getBoolean("active"));
    }

    private static StockMovementView toMovement(Row row) {
        BigDecimal cost = row.getBigDecimal("unit_cost");
        return new StockMovementView(row.getLong("id"), row.getString("code"), row.getString("sku"),
                MovementKind.valueOf(row.getString("kind")), row.getInteger("quantity"), row.getInteger("balance"),
                cost == null ? null : Money.of(cost, row.getString("cost_currency")), row.getString("reason"), row.getString("actor"),
                row.getUUID("order_id"), row.getOffsetDateTime("created_at").toInstant());
    }
}
