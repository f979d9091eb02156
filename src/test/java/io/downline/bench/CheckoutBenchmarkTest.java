package io.downline.bench;

import static io.downline.bench.BenchReport.ms;
import static io.downline.bench.BenchReport.num;
import static io.downline.bench.BenchReport.progress;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.downline.support.Accounts;
import io.downline.support.Network;
import io.downline.support.Shop;
import io.downline.support.TestDatabase;
import io.downline.tax.api.FinancialYear;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Checkout-to-paid throughput (docs/benchmarks.md, "Commerce"): {@code bench.clients} clients (default 32) each loop
 * "check out two lines, then pay the order" through the HTTP API for {@code bench.seconds} (default 20) after a warm-up,
 * every payment taking stock, issuing the invoice, recording volume and writing the outbox event. Then a raw-SQL baseline
 * runs the same two transactions over JDBC with as many connections for as long, and the report gives the ratio.
 *
 * <p>Run alone: {@code BENCH_DB_NAME=downline_commerce_bench scripts/bench.sh -Dtest=CheckoutBenchmarkTest}. It asserts
 * only correctness (every order paid once, invoice numbers without gaps), never speed.
 */
@QuarkusTest
@Tag("benchmark")
@TestProfile(BenchProfile.class)
class CheckoutBenchmarkTest {

    static final int CLIENTS = Integer.getInteger("bench.clients", 32);
    static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 5);
    static final int PRODUCTS = 40;
    /** Warehouses in four states; each client delivers to one of them, so orders spread over four invoice series. */
    static final String[][] WAREHOUSES = { { "27", Shop.GSTIN_MAHARASHTRA }, { "29", Shop.GSTIN_KARNATAKA }, { "04", Shop.GSTIN_CHANDIGARH },
            { "07", "07AAACR5055K1Z9" } };

    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    static final ObjectMapper json = new ObjectMapper();
    static final BenchReport report = new BenchReport();

    /** The baseline's JDBC connections, closed when it ends. */
    static final List<Connection> RAW_CONNECTIONS = java.util.Collections.synchronizedList(new ArrayList<>());

    @TestHTTPResource("/")
    URI root;

    interface Worker {
        void once() throws Exception;
    }

    record Result(Samples.Summary summary, long errors, List<String> errorSamples) {
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void checkoutToPaid() throws Exception {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account finance = Accounts.create("finance");
        progress("setting up " + PRODUCTS + " products, " + WAREHOUSES.length + " warehouses, " + CLIENTS + " distributors");
        Shop.rate(admin, "IN", "3304", "2017-07-01", "18");
        List<String> skus = new ArrayList<>();
        for (int i = 0; i < PRODUCTS; i++) {
            skus.add(Shop.product(admin, "33049900", "249.50", "10.00", "8.00"));
        }
        List<String> warehouses = new ArrayList<>();
        for (String[] w : WAREHOUSES) {
            warehouses.add(Shop.warehouse(admin, w[0], w[1]));
        }
        for (String warehouse : warehouses) {
            for (String sku : skus) {
                Shop.receive(admin, warehouse, sku, 1_000_000).then().statusCode(201);
            }
        }
        List<Shop.Distributor> buyers = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            buyers.add(Shop.distributor(admin));
        }

        Result api = run("HTTP API", t -> {
            SplittableRandom random = new SplittableRandom(t);
            String region = WAREHOUSES[t % WAREHOUSES.length][0];
            String bearer = buyers.get(t).bearer();
            return () -> {
                int a = random.nextInt(PRODUCTS);
                int b = (a + 1 + random.nextInt(PRODUCTS - 1)) % PRODUCTS;
                String checkout = "{\"lines\":[" + Shop.line(skus.get(a), 1 + random.nextInt(3)) + "," + Shop.line(skus.get(b), 1) + "],"
                        + "\"delivery\":" + Shop.delivery(region) + "}";
                JsonNode order = post("/api/v1/orders", bearer, checkout, 201);
                String pay = "{\"reference\":\"bench-" + order.path("id").asText() + "\",\"amount\":"
                        + json.writeValueAsString(order.path("grandTotal")) + "}";
                JsonNode paid = post("/api/v1/orders/" + order.path("id").asText() + "/payment", finance.bearer(), pay, 200);
                if (!"PAID".equals(paid.path("status").asText())) {
                    throw new IllegalStateException("not paid: " + paid);
                }
            };
        });
        checkInvoiceNumbers();
        long apiOrders = Long.parseLong(Network.query("select count(*) from commerce.customer_order where status = 'PAID'"));

        Result raw = run("raw SQL", t -> rawWorker(t));
        for (Connection connection : RAW_CONNECTIONS) {
            connection.close();
        }

        double apiRate = api.summary().opsPerSecond();
        double rawRate = raw.summary().opsPerSecond();
        report.section("Checkout to paid (POST /api/v1/orders, then POST /api/v1/orders/{id}/payment)");
        report.line(String.format(Locale.ROOT, "%d clients, %d s warm-up, %d s measured; %d products in %d warehouses of four states "
                + "(each client delivers to one state, so orders spread over four invoice series); two lines per order; "
                + "%,d orders paid through the API in all.", CLIENTS, WARMUP_SECONDS, SECONDS, PRODUCTS, WAREHOUSES.length, apiOrders));
        report.line("");
        report.tableHeader("How", "Paid orders", "Errors", "Throughput", "Median ms", "p99 ms", "Max ms");
        report.row("HTTP API (checkout + payment)", api.summary().count(), api.errors(), num(apiRate) + "/s", ms(api.summary().median()),
                ms(api.summary().p99()), ms(api.summary().max()));
        report.row("raw SQL (the same two transactions over JDBC)", raw.summary().count(), raw.errors(), num(rawRate) + "/s",
                ms(raw.summary().median()), ms(raw.summary().p99()), ms(raw.summary().max()));
        report.line("");
        report.line(String.format(Locale.ROOT, "API / raw SQL throughput: %.2f", rawRate == 0 ? 0 : apiRate / rawRate));
        if (!api.errorSamples().isEmpty()) {
            report.line("");
            report.line("API errors seen: " + String.join("; ", api.errorSamples()));
        }
        report.target("Checkout-to-paid via HTTP API, " + CLIENTS + " clients: throughput", ">= 300/s", num(apiRate) + "/s",
                BenchReport.atLeastVerdict(apiRate, 300, "/s"));
        report.target("Checkout-to-paid via HTTP API: p99 latency", "<= 100 ms", ms(api.summary().p99()) + " ms",
                BenchReport.atMostVerdict(api.summary().p99() / 1e6, 100, "ms"));
        report.publish(Path.of("target", "benchmark-commerce.md"));
        assertEquals(0, api.errors(), "API errors: " + api.errorSamples());
    }

    /** Every series holds the numbers 1..n exactly once. */
    private static void checkInvoiceNumbers() {
        assertEquals("0", Network.query("""
                select count(*) from (
                    select split_part(number, '/', 1) as series, count(*) as n, max(split_part(number, '/', 3)::int) as top,
                           count(distinct number) as distinct_numbers
                      from tax.invoice where doc_type = 'INV' group by 1) s
                 where n <> top or n <> distinct_numbers"""));
    }

    private JsonNode post(String path, String bearer, String body, int expected) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(root.resolve(path)).header("Authorization", bearer)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    // ---- the raw-SQL baseline -----------------------------------------------------------------------------------

    /**
     * The same work as checkout + payment in two JDBC transactions on the client's own connection: the order and its
     * lines; then lock the order, take stock with movements, volume entry and period total, the series counter, the
     * invoice row with a document of the same size, the outbox event and the order update. No HTTP, JSON mapping,
     * authentication, validation or reads of what was written.
     */
    private Worker rawWorker(int t) throws SQLException {
        Connection conn = TestDatabase.connect();
        RAW_CONNECTIONS.add(conn);
        conn.setAutoCommit(false);
        SplittableRandom random = new SplittableRandom(1000 + t);
        String region = WAREHOUSES[t % WAREHOUSES.length][0];
        long warehouseId = longQuery(conn, "select id from commerce.warehouse where region = ? order by id limit 1", region);
        String series = stringQuery(conn, "select invoice_series from commerce.warehouse where id = ?", warehouseId);
        long distributorId = longQuery(conn, "select id from genealogy.distributor order by id desc offset ? limit 1", (long) t);
        List<Long> products = new ArrayList<>();
        try (PreparedStatement s = conn.prepareStatement("select id from commerce.product order by id"); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                products.add(rs.getLong(1));
            }
        }
        conn.commit();
        String document = Network.query("select document::text from tax.invoice order by issued_at desc limit 1");
        String period = String.format("%d-%02d", LocalDate.now(ZoneOffset.UTC).getYear(), LocalDate.now(ZoneOffset.UTC).getMonthValue());
        String year = FinancialYear.of(LocalDate.now(ZoneId.of("Asia/Kolkata"))).label();
        PreparedStatement insertOrder = conn.prepareStatement("""
                insert into commerce.customer_order (id, distributor_id, buyer_name, for_customer, delivery, delivery_country, delivery_region,
                    warehouse_id, currency, supply_type, taxable_total, tax_total, round_off, grand_total, pv_total, bv_total, status, created_by)
                values (?, ?, 'Bench', false, '{}'::jsonb, 'IN', ?, ?, 'INR', 'INTRA_STATE', 748.50, 134.73, 0.77, 884.00, 30, 24, 'PENDING', 'bench')""");
        PreparedStatement insertLine = conn.prepareStatement("""
                insert into commerce.order_line (order_id, line_no, product_id, sku, name, hsn, unit, quantity, unit_price, taxable, rate, cgst, sgst,
                    utgst, igst, vat, pv, bv) values (?, ?, ?, 'SKU', 'Product', '33049900', 'NOS', ?, 249.50, 249.50, 18, 22.46, 22.46, 0, 0, 0, 10, 8)""");
        PreparedStatement lockOrder = conn.prepareStatement("select status from commerce.customer_order where id = ? for update");
        PreparedStatement takeStock = conn.prepareStatement("""
                update commerce.stock set quantity = quantity - ? where warehouse_id = ? and product_id = ? and quantity - ? >= 0 returning quantity""");
        PreparedStatement movement = conn.prepareStatement("""
                insert into commerce.stock_movement (warehouse_id, product_id, kind, quantity, balance, reason, actor, order_id)
                values (?, ?, 'SALE', ?, ?, 'bench', 'bench', ?)""");
        PreparedStatement volumeEntry = conn.prepareStatement("""
                insert into genealogy.volume_entry (period, distributor_id, pv, bv, source, reference, recorded_by) values (?, ?, 30, 24, 'order', ?, 'bench')""");
        PreparedStatement volume = conn.prepareStatement("""
                insert into genealogy.personal_volume (period, distributor_id, pv, bv) values (?, ?, 30, 24) on conflict (period, distributor_id)
                do update set pv = personal_volume.pv + excluded.pv, bv = personal_volume.bv + excluded.bv""");
        PreparedStatement counter = conn.prepareStatement("""
                insert into tax.invoice_counter (series, financial_year, last_number) values (?, ?, 1) on conflict (series, financial_year)
                do update set last_number = invoice_counter.last_number + 1 returning last_number""");
        PreparedStatement invoice = conn.prepareStatement("""
                insert into tax.invoice (id, doc_type, number, financial_year, order_id, distributor_id, warehouse_id, country, region, currency,
                    issued_at, invoice_date, taxable, cgst, sgst, utgst, igst, vat, total, document)
                values (?, 'INV', ?, ?, ?, ?, ?, 'IN', ?, 'INR', now(), current_date, 748.50, 67.37, 67.36, 0, 0, 0, 884.00, ?::jsonb)""");
        PreparedStatement outbox = conn.prepareStatement("insert into commerce.outbox_event (id, type, payload) values (?, 'order.paid', ?::jsonb)");
        PreparedStatement markPaid = conn.prepareStatement("""
                update commerce.customer_order set status = 'PAID', payment_reference = ?, paid_at = now(), volume_period = ? where id = ?""");
        return () -> {
            UUID orderId = UUID.randomUUID();
            long a = products.get(random.nextInt(products.size()));
            long b = products.get(random.nextInt(products.size()));
            if (a == b) {
                b = products.get((products.indexOf(a) + 1) % products.size());
            }
            long[] lines = a < b ? new long[] { a, b } : new long[] { b, a };
            try {
                insertOrder.setObject(1, orderId);
                insertOrder.setLong(2, distributorId);
                insertOrder.setString(3, region);
                insertOrder.setLong(4, warehouseId);
                insertOrder.executeUpdate();
                for (int i = 0; i < 2; i++) {
                    insertLine.setObject(1, orderId);
                    insertLine.setInt(2, i + 1);
                    insertLine.setLong(3, lines[i]);
                    insertLine.setInt(4, 1);
                    insertLine.addBatch();
                }
                insertLine.executeBatch();
                conn.commit();

                lockOrder.setObject(1, orderId);
                lockOrder.executeQuery().close();
                for (long product : lines) {
                    takeStock.setInt(1, 1);
                    takeStock.setLong(2, warehouseId);
                    takeStock.setLong(3, product);
                    takeStock.setInt(4, 1);
                    int balance;
                    try (ResultSet rs = takeStock.executeQuery()) {
                        rs.next();
                        balance = rs.getInt(1);
                    }
                    movement.setLong(1, warehouseId);
                    movement.setLong(2, product);
                    movement.setInt(3, -1);
                    movement.setInt(4, balance);
                    movement.setObject(5, orderId);
                    movement.addBatch();
                }
                movement.executeBatch();
                volumeEntry.setString(1, period);
                volumeEntry.setLong(2, distributorId);
                volumeEntry.setString(3, orderId.toString());
                volumeEntry.executeUpdate();
                volume.setString(1, period);
                volume.setLong(2, distributorId);
                volume.executeUpdate();
                counter.setString(1, series);
                counter.setString(2, year);
                int number;
                try (ResultSet rs = counter.executeQuery()) {
                    rs.next();
                    number = rs.getInt(1);
                }
                invoice.setObject(1, UUID.randomUUID());
                invoice.setString(2, series + "/" + year.substring(2, 4) + year.substring(5) + "/" + String.format("%06d", number));
                invoice.setString(3, year);
                invoice.setObject(4, orderId);
                invoice.setLong(5, distributorId);
                invoice.setLong(6, warehouseId);
                invoice.setString(7, region);
                invoice.setString(8, document);
                invoice.executeUpdate();
                outbox.setObject(1, UUID.randomUUID());
                outbox.setString(2, "{\"orderId\":\"" + orderId + "\",\"pv\":\"30.00\",\"bv\":\"24.00\",\"total\":\"884.00\"}");
                outbox.executeUpdate();
                markPaid.setString(1, "raw-" + orderId);
                markPaid.setString(2, period);
                markPaid.setObject(3, orderId);
                markPaid.executeUpdate();
                conn.commit();
            } catch (SQLException e) {
                conn.rollback();
                throw e;
            }
        };
    }

    private static long longQuery(Connection conn, String sql, Object parameter) throws SQLException {
        try (PreparedStatement s = conn.prepareStatement(sql)) {
            s.setObject(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String stringQuery(Connection conn, String sql, Object parameter) throws SQLException {
        try (PreparedStatement s = conn.prepareStatement(sql)) {
            s.setObject(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    interface WorkerFactory {
        Worker create(int thread) throws Exception;
    }

    /** CLIENTS threads, each looping its worker: WARMUP_SECONDS of warm-up, then SECONDS measured. */
    private static Result run(String name, WorkerFactory factory) throws Exception {
        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            workers.add(factory.create(t));
        }
        progress(name + ": " + CLIENTS + " clients, " + WARMUP_SECONDS + " s warm-up, " + SECONDS + " s measured");
        long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(WARMUP_SECONDS);
        long until = measureFrom + TimeUnit.SECONDS.toNanos(SECONDS);
        Samples[] samples = new Samples[CLIENTS];
        AtomicLong errors = new AtomicLong();
        List<String> errorSamples = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread[] threads = new Thread[CLIENTS];
        for (int t = 0; t < CLIENTS; t++) {
            Samples mine = samples[t] = new Samples();
            Worker worker = workers.get(t);
            threads[t] = new Thread(() -> {
                while (System.nanoTime() < until) {
                    long t0 = System.nanoTime();
                    boolean ok;
                    try {
                        worker.once();
                        ok = true;
                    } catch (Exception e) {
                        ok = false;
                        if (errorSamples.size() < 5) {
                            errorSamples.add(e.toString());
                        }
                    }
                    long t1 = System.nanoTime();
                    if (t1 >= measureFrom && t1 <= until) {
                        if (ok) {
                            mine.add(t1 - t0);
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Samples all = new Samples();
        for (Samples s : samples) {
            all.addAll(s);
        }
        Samples.Summary summary = all.summary(TimeUnit.SECONDS.toNanos(SECONDS));
        progress(String.format(Locale.ROOT, "%s: %,d ok in %d s = %.0f/s, median %s ms, p99 %s ms, %d errors", name, summary.count(), SECONDS,
                summary.opsPerSecond(), ms(summary.median()), ms(summary.p99()), errors.get()));
        assertTrue(summary.count() > 0, name + " completed nothing: " + errorSamples);
        return new Result(summary, errors.get(), errorSamples);
    }
}
