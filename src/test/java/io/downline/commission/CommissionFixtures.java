package io.downline.commission;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.downline.support.Accounts;
import io.downline.support.Commissions;
import io.downline.support.Network;
import io.downline.support.Shop;
import io.restassured.path.json.JsonPath;

/** The plan, shop and waiting helpers the commission tests share (one plan and one store per test run). */
final class CommissionFixtures {

    /** 10% sponsor bonus; levels 5%, 3%, 2% with compression; qualified = active with at least 10 PV in the period. */
    static final String PLAN = """
            {"currency": "INR", "periodKind": "MONTHLY",
             "qualification": {"minPersonalPv": 10, "requireActive": true, "requireKyc": false},
             "sponsorBonus": {"ratePercent": 10, "basis": "BV"},
             "levels": {"ratePercents": [5, 3, 2], "basis": "BV", "compression": "DYNAMIC"}}""";

    record Store(String warehouse, String small, String large) {
    }

    private static Integer planVersion;
    private static Store store;

    private CommissionFixtures() {
    }

    /** The test run's plan, in force since 1 Jan 2026 (before any commission period the tests open). */
    static synchronized int plan(Accounts.Account admin) {
        if (planVersion == null) {
            planVersion = Commissions.upload(admin, "application/json", PLAN, "2026-01-01T00:00:00Z").then().statusCode(201)
                    .extract().path("version");
        }
        return planVersion;
    }

    static synchronized int planVersion() {
        return planVersion;
    }

    /** A Maharashtra warehouse with a 10 PV / 10 BV product and a 10 PV / 333.33 BV one. */
    static synchronized Store store(Accounts.Account admin) {
        if (store == null) {
            Shop.rate(admin, "IN", "21069011", "2017-07-01", "18");
            String small = Shop.product(admin, "21069011", "100.00", "10.00", "10.00");
            String large = Shop.product(admin, "21069011", "500.00", "10.00", "333.33");
            String warehouse = Shop.warehouse(admin, "27", Shop.GSTIN_MAHARASHTRA);
            Shop.receive(admin, warehouse, small, 1000).then().statusCode(201);
            Shop.receive(admin, warehouse, large, 1000).then().statusCode(201);
            store = new Store(warehouse, small, large);
        }
        return store;
    }

    /** Checks out and pays; answers the order id. */
    static String buy(Accounts.Account admin, String bearer, Store store, String sku, int quantity) {
        JsonPath order = Shop.checkout(bearer, "[" + Shop.line(sku, quantity) + "]", "27", null).then().statusCode(201).extract().jsonPath();
        Shop.pay(admin, order.getString("id"), Shop.unique("pay"), order.getString("grandTotal.amount")).then().statusCode(200);
        return order.getString("id");
    }

    /** Makes sure the current period has begun for the engine: an order is paid and handled under the plan. */
    static void openPeriod(Accounts.Account admin) {
        Store store = store(admin);
        Shop.Distributor buyer = Shop.distributor(admin);
        buy(admin, buyer.bearer(), store, store.small(), 1);
        awaitConsumerCaughtUp();
    }

    /** The member's lines of the order (no clawbacks) as rule[:level] -> amount. */
    static Map<String, String> orderLines(Accounts.Account staff, String member, String order) {
        Map<String, String> lines = new HashMap<>();
        for (JsonPath line : Commissions.lines(staff, member)) {
            if (order.equals(line.getString("sourceOrder")) && !"CLAWBACK".equals(line.getString("rule"))) {
                String level = line.getString("level");
                lines.put(line.getString("rule") + (level == null ? "" : ":" + level), line.getString("amount.amount"));
            }
        }
        return lines;
    }

    static Map<String, String> awaitOrderLines(Accounts.Account staff, String member, String order, int count) {
        return await(() -> orderLines(staff, member, order), lines -> lines.size() >= count);
    }

    /** The member's clawbacks of the order, newest first, once there are at least {@code count}. */
    static List<JsonPath> awaitClawbacks(Accounts.Account staff, String member, String order, int count) {
        return await(() -> Commissions.lines(staff, member).stream()
                .filter(l -> order.equals(l.getString("sourceOrder")) && "CLAWBACK".equals(l.getString("rule"))).toList(),
                lines -> lines.size() >= count);
    }

    /**
     * Waits until the engine's consumer has acknowledged every event written so far (compared with the cursor directly:
     * outbox_next hides events while any older transaction, such as a running batch, is still open).
     */
    static void awaitConsumerCaughtUp() {
        await(() -> Network.query("""
                select count(*) from commerce.outbox_event e
                 where (e.txid, e.position) > coalesce((select (c.last_txid, c.last_position) from commerce.outbox_consumer c
                                                          where c.consumer = 'commission'), ('0'::xid8, 0::bigint))"""), "0"::equals);
    }

    static <T> T await(Supplier<T> read, java.util.function.Predicate<T> done) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            T value = read.get();
            if (done.test(value)) {
                return value;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("still not there after 60 s: " + value);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }
}
