package io.downline.commerce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.downline.support.Network;
import io.downline.support.Shop;
import io.downline.tax.api.FinancialYear;
import io.downline.tax.api.Invoices;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Invoice numbers and stock under parallel payments and checkouts. */
@QuarkusTest
class ConcurrencyTest {

    /** More parallel clients than the connection pool has connections (20), so a payment that took a second one would starve it. */
    private static final int THREADS = 32;

    @Inject
    Invoices issuer;

    @Inject
    Pool pool;

    @Test
    void parallelPaymentsGetConsecutiveInvoiceNumbersWithoutGapsOrDuplicates() throws Exception {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account finance = Accounts.create("finance");
        Shop.rate(admin, "IN", "33049921", "2017-07-01", "18");
        String sku = Shop.product(admin, "33049921", "99.00", "1.00", "1.00");
        String warehouse = Shop.warehouse(admin, "27", Shop.GSTIN_MAHARASHTRA);
        Shop.receive(admin, warehouse, sku, 500).then().statusCode(201);
        Shop.Distributor buyer = Shop.distributor(admin);
        int orders = 40;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            ids.add(Shop.checkout(buyer.bearer(), "[" + Shop.line(sku, 1) + "]", "27", null).then().statusCode(201).extract().path("id"));
        }
        String total = Network.query("select grand_total::text from commerce.customer_order where id = ?::uuid", ids.get(0));

        List<Response> responses = parallel(ids.stream().map(id -> (Callable<Response>) () -> Shop.pay(finance, id, "pay-" + id, total)).toList());
        List<Integer> sequence = new ArrayList<>();
        String series = null;
        for (Response response : responses) {
            assertEquals(200, response.statusCode(), response.asString());
            String number = response.path("invoice.number");
            series = number.substring(0, number.indexOf('/'));
            sequence.add(Integer.parseInt(number.substring(number.lastIndexOf('/') + 1)));
        }
        assertEquals(IntStream.rangeClosed(1, orders).boxed().toList(), sequence.stream().sorted().toList(), "consecutive, each once");
        assertEquals(Integer.toString(orders), Network.query("select last_number::text from tax.invoice_counter where series = ?", series));
        assertEquals(Integer.toString(500 - orders), Network.query("""
                select s.quantity::text from commerce.stock s join commerce.warehouse w on w.id = s.warehouse_id join commerce.product p on p.id = s.product_id
                 where w.code = ? and p.sku = ?""", warehouse, sku));
    }

    @Test
    void parallelCheckoutsAgainstScarceStockSellOnlyWhatIsThere() throws Exception {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account finance = Accounts.create("finance");
        Shop.rate(admin, "IN", "33049922", "2017-07-01", "18");
        String sku = Shop.product(admin, "33049922", "500.00", "10.00", "8.00");
        String warehouse = Shop.warehouse(admin, "29", Shop.GSTIN_KARNATAKA);
        int inStock = 5;
        Shop.receive(admin, warehouse, sku, inStock).then().statusCode(201);
        List<Shop.Distributor> buyers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            buyers.add(Shop.distributor(admin));
        }
        List<Response> responses = parallel(buyers.stream().map(buyer -> (Callable<Response>) () -> {
            Response order = Shop.checkout(buyer.bearer(), "[" + Shop.line(sku, 1) + "]", "29", null);
            if (order.statusCode() != 201) {
                return order;
            }
            return Shop.pay(finance, order.path("id"), "pay-" + order.path("id"), "590.00");
        }).toList());
        long paid = responses.stream().filter(r -> r.statusCode() == 200).count();
        long refused = responses.stream().filter(r -> r.statusCode() == 409
                && "urn:downline:problem:out-of-stock".equals(r.path("type"))).count();
        assertEquals(inStock, paid, "exactly the units in stock are sold");
        assertEquals(buyers.size() - inStock, refused, "every other buyer is told it is out of stock");
        assertEquals("0", Network.query("""
                select s.quantity::text from commerce.stock s join commerce.warehouse w on w.id = s.warehouse_id join commerce.product p on p.id = s.product_id
                 where w.code = ? and p.sku = ?""", warehouse, sku));
        assertEquals(Integer.toString(inStock), Network.query("""
                select count(*)::text from commerce.stock_movement m join commerce.warehouse w on w.id = m.warehouse_id where w.code = ? and m.kind = 'SALE'""",
                warehouse));
        assertEquals("0", Network.query("select count(*)::text from commerce.stock_movement where balance < 0"));
        assertEquals(Integer.toString(inStock), Network.query("""
                select count(*)::text from tax.invoice i join commerce.warehouse w on w.id = i.warehouse_id where w.code = ?""", warehouse));
    }

    @Test
    void eachFinancialYearStartsItsOwnSequenceAndARollbackReturnsTheNumber() {
        FinancialYear march = FinancialYear.of(LocalDate.of(2026, 3, 31));
        FinancialYear april = FinancialYear.of(LocalDate.of(2026, 4, 1));
        assertEquals(1, take("ZR", march));
        assertEquals(2, take("ZR", march));
        assertEquals(1, take("ZR", april), "1 April starts a new financial year at 1");
        assertEquals(3, take("ZR", march));
        // a payment that fails after taking its number rolls the number back with everything else
        assertThrows(IllegalStateException.class, () -> pool.withTransaction(conn -> issuer.nextNumber(conn, "ZR", april)
                .chain(n -> Uni.createFrom().<Integer>failure(new IllegalStateException("payment failed after numbering"))))
                .await().indefinitely());
        assertEquals(2, take("ZR", april), "no gap after the rollback");
    }

    private int take(String series, FinancialYear year) {
        return pool.withTransaction(conn -> issuer.nextNumber(conn, series, year)).await().indefinitely();
    }

    private static List<Response> parallel(List<Callable<Response>> calls) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Response>> futures = executor.invokeAll(calls);
            List<Response> responses = new ArrayList<>();
            for (Future<Response> future : futures) {
                responses.add(future.get());
            }
            assertTrue(responses.size() == calls.size());
            return responses;
        } finally {
            executor.shutdown();
        }
    }
}
