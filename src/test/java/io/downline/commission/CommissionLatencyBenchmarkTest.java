package io.downline.commission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.downline.bench.BenchProfile;
import io.downline.support.Accounts;
import io.downline.support.Network;
import io.downline.support.Shop;
import io.downline.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Order paid -> commission in the wallet (docs/benchmarks.md, "Commissions"): {@code bench.orders} orders (default 2,000)
 * are checked out first, then {@code bench.clients} clients (default 16) pay them through the HTTP API as fast as the
 * service takes them. A watcher polls the ledger every 5 ms for each order's level-1 credit; latency is the time from
 * the payment's response to the first poll that sees the credit committed. Reports the paid rate and p50/p99/max.
 * Run alone: {@code BENCH_DB_NAME=downline_commission_bench scripts/bench.sh -Dtest=CommissionLatencyBenchmarkTest}.
 * Asserts only correctness (every order credited exactly once), never speed.
 */
@QuarkusTest
@Tag("benchmark")
@TestProfile(BenchProfile.class)
class CommissionLatencyBenchmarkTest {

    static final int ORDERS = Integer.getInteger("bench.orders", 2000);
    static final int CLIENTS = Integer.getInteger("bench.clients", 16);

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void paidOrdersReachTheWalletQuickly() throws Exception {
        Accounts.Account admin = Accounts.create("admin");
        CommissionFixtures.plan(admin);
        CommissionFixtures.Store store = CommissionFixtures.store(admin);
        String root = Network.root(admin);
        JsonPath sponsor = Network.join(admin, root, "Bench Sponsor");
        CommissionFixtures.buy(admin, Network.activate(sponsor), store, store.small(), 1);
        List<String[]> orders = new ArrayList<>();
        List<String> buyers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            buyers.add(Network.activate(Network.join(admin, sponsor.getString("memberCode"), "Bench Buyer " + i)));
        }
        for (int i = 0; i < ORDERS; i++) {
            JsonPath order = Shop.checkout(buyers.get(i % buyers.size()), "[" + Shop.line(store.large(), 1) + "]", "27", null)
                    .then().statusCode(201).extract().jsonPath();
            orders.add(new String[] { order.getString("id"), order.getString("grandTotal.amount") });
        }
        CommissionFixtures.awaitConsumerCaughtUp();

        Map<String, Long> paidAt = new ConcurrentHashMap<>();
        Map<String, Long> visibleAt = new ConcurrentHashMap<>();
        AtomicBoolean paying = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> watch(paidAt, visibleAt, paying));
        watcher.start();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long start = System.nanoTime();
        for (String[] order : orders) {
            clients.submit(() -> {
                Shop.pay(admin, order[0], "bench-" + order[0], order[1]).then().statusCode(200);
                paidAt.put(order[0], System.nanoTime());
            });
        }
        clients.shutdown();
        clients.awaitTermination(20, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        paying.set(false);
        watcher.join();

        long[] latencies = paidAt.entrySet().stream().mapToLong(e -> Math.max(0, visibleAt.get(e.getKey()) - e.getValue())).sorted().toArray();
        System.out.printf("%n== Commissions: order paid -> level-1 commission in the wallet ==%n");
        System.out.printf("orders %d, clients %d, paid in %.1f s = %.0f paid orders/s%n", orders.size(), CLIENTS, seconds, orders.size() / seconds);
        System.out.printf("latency p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms%n", percentile(latencies, 50), percentile(latencies, 90),
                percentile(latencies, 99), latencies[latencies.length - 1] / 1e6);
        assertEquals(ORDERS, orders.stream().filter(order -> visibleAt.containsKey(order[0])).count(), "every order credited");
    }

    /** Polls the level-1 credits every 5 ms until all paid orders are seen (or paying stopped and everything is seen). */
    private static void watch(Map<String, Long> paidAt, Map<String, Long> visibleAt, AtomicBoolean paying) {
        long lastId = 0;
        try (Connection db = TestDatabase.connect();
                PreparedStatement next = db.prepareStatement("""
                        select id, split_part(source_reference, ':', 2) from tds.commission_credit
                         where id > ? and source_reference like 'order:%:LEVEL:1' order by id""")) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(25);
            while ((paying.get() || !visibleAt.keySet().containsAll(paidAt.keySet())) && System.nanoTime() < deadline) {
                next.setLong(1, lastId);
                try (ResultSet rs = next.executeQuery()) {
                    long now = System.nanoTime();
                    while (rs.next()) {
                        lastId = rs.getLong(1);
                        visibleAt.putIfAbsent(rs.getString(2), now);
                    }
                }
                Thread.sleep(5);
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }
}
