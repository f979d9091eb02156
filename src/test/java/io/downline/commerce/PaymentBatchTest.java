package io.downline.commerce;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.downline.support.Network;
import io.downline.support.Shop;
import io.downline.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Payments that queue while a batch holds the invoice series share one transaction: each is answered alone, and one
 * refused after it took stock gives that stock back, without a gap in the invoice numbers.
 */
@QuarkusTest
class PaymentBatchTest {

    @Test
    void paymentsQueuedBehindAHeldSeriesCommitTogetherAndARefusedOneUndoesItsStock() throws Exception {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account finance = Accounts.create("finance");
        Shop.rate(admin, "IN", "33049947", "2017-07-01", "18");
        String plenty = Shop.product(admin, "33049947", "100.00", "1.00", "1.00");
        String scarce = Shop.product(admin, "33049947", "100.00", "1.00", "1.00");
        String warehouse = Shop.warehouse(admin, "27", Shop.GSTIN_MAHARASHTRA);
        Shop.receive(admin, warehouse, plenty, 100).then().statusCode(201);
        Shop.receive(admin, warehouse, scarce, 2).then().statusCode(201);
        Shop.Distributor buyer = Shop.distributor(admin);
        String opening = checkout(buyer, Shop.line(plenty, 1));
        String gated = checkout(buyer, Shop.line(plenty, 1));
        Map<String, String> queued = new LinkedHashMap<>();
        queued.put("paid-1", checkout(buyer, Shop.line(plenty, 1)));
        queued.put("wrong-amount", checkout(buyer, Shop.line(plenty, 1)));
        queued.put("out-of-stock", checkout(buyer, Shop.line(plenty, 3) + "," + Shop.line(scarce, 2)));
        queued.put("paid-2", checkout(buyer, Shop.line(plenty, 2)));
        // after the checkout, one of the two scarce units goes: the out-of-stock order takes its plenty units, then fails
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"kind\":\"ADJUSTMENT\",\"sku\":\"" + scarce + "\",\"quantity\":-1,\"reason\":\"Damaged\"}")
                .post("/api/v1/warehouses/" + warehouse + "/stock-movements").then().statusCode(201);
        pay(finance, opening, total(opening)).then().statusCode(200);

        ExecutorService clients = Executors.newFixedThreadPool(6);
        Map<String, Future<Response>> answers = new LinkedHashMap<>();
        try (Connection holder = TestDatabase.connect(); Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("""
                    select 1 from tax.invoice_counter
                     where series = (select invoice_series from commerce.warehouse where code = '%s') for update""".formatted(warehouse));
            answers.put("gated", clients.submit(() -> pay(finance, gated, total(gated))));
            awaitALockWait();
            for (Map.Entry<String, String> order : queued.entrySet()) {
                String amount = order.getKey().equals("wrong-amount") ? "1.00" : total(order.getValue());
                answers.put(order.getKey(), clients.submit(() -> pay(finance, order.getValue(), amount)));
            }
            // the queued payments reach the service and wait behind the first batch
            Thread.sleep(1500);
            holder.commit();
        }
        Map<String, Integer> statuses = new LinkedHashMap<>();
        List<String> numbers = new ArrayList<>();
        for (Map.Entry<String, Future<Response>> answer : answers.entrySet()) {
            Response response = answer.getValue().get(60, TimeUnit.SECONDS);
            statuses.put(answer.getKey(), response.statusCode());
            if (response.statusCode() == 200) {
                numbers.add(response.path("invoice.number"));
            }
        }
        clients.shutdownNow();

        assertEquals(Map.of("gated", 200, "paid-1", 200, "wrong-amount", 400, "out-of-stock", 409, "paid-2", 200), statuses);
        assertEquals(List.of(2, 3, 4), numbers.stream().map(n -> Integer.parseInt(n.substring(n.lastIndexOf('/') + 1))).sorted().toList(),
                "consecutive after the opening invoice 1, none lost to the refused payments");
        assertEquals("95", stock(warehouse, plenty), "100 received, 1 + 1 + 1 + 2 sold; the refused order's 3 came back");
        assertEquals("1", stock(warehouse, scarce));
        assertEquals("1", Network.query("""
                select count(distinct m.created_at) from commerce.stock_movement m
                  join commerce.customer_order o on o.id = m.order_id where o.id in (?::uuid, ?::uuid)""",
                queued.get("paid-1"), queued.get("paid-2")), "the queued payments committed in one transaction");
    }

    private static String checkout(Shop.Distributor buyer, String lines) {
        return Shop.checkout(buyer.bearer(), "[" + lines + "]", "27", null).then().statusCode(201).extract().path("id");
    }

    private static String total(String order) {
        return Network.query("select grand_total::text from commerce.customer_order where id = ?::uuid", order);
    }

    private static Response pay(Accounts.Account finance, String order, String amount) {
        return Shop.pay(finance, order, "pay-" + order, amount);
    }

    private static String stock(String warehouse, String sku) {
        return Network.query("""
                select s.quantity::text from commerce.stock s join commerce.warehouse w on w.id = s.warehouse_id
                  join commerce.product p on p.id = s.product_id where w.code = ? and p.sku = ?""", warehouse, sku);
    }

    /** Until a session waits for a row lock: the first payment, at the held invoice series. */
    private static void awaitALockWait() throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (!"0".equals(Network.query("""
                    select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'
                       and query like '%invoice_counter%'"""))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the first payment never waited for the invoice series");
    }
}
