package io.downline.commission;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.downline.commission.app.EventProcessor;
import io.downline.support.Accounts;
import io.downline.support.Commissions;
import io.downline.support.Network;
import io.downline.support.Wallets;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Instant bonuses end to end: an order is paid, the worker credits the sponsor bonus and level commissions (with
 * compression) through the ledger, a redelivery pays nothing twice, refunds claw back exactly, and several workers
 * share the outbox.
 */
@QuarkusTest
class InstantCommissionTest {

    @Inject
    EventProcessor processor;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aPaidOrderPaysItsUplineOnceWithCompressionAndRefundsClawBackExactly() {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account finance = Accounts.create("finance");
        CommissionFixtures.plan(admin);
        String root = Network.root(admin);
        JsonPath a = Network.join(admin, root, "Anita Level");
        JsonPath b = Network.join(admin, a.getString("memberCode"), "Bala Unqualified");
        JsonPath c = Network.join(admin, b.getString("memberCode"), "Chitra Sponsor");
        JsonPath d = Network.join(admin, c.getString("memberCode"), "Dev Buyer");
        String cBearer = Network.activate(c);
        String dBearer = Network.activate(d);
        CommissionFixtures.Store store = CommissionFixtures.store(admin);

        // A and C qualify with 10 PV of their own; B buys nothing and is compressed away
        CommissionFixtures.buy(admin, Network.activate(a), store, store.small(), 1);
        CommissionFixtures.buy(admin, cBearer, store, store.small(), 1);
        String order = CommissionFixtures.buy(admin, dBearer, store, store.large(), 3);

        // order BV 3 x 333.33 = 999.99, rates floored to the paisa: sponsor bonus 10% -> 99.99 and level 1 5% -> 49.99 to C;
        // level 2 3% -> 29.99 to A
        Map<String, String> cLines = CommissionFixtures.awaitOrderLines(finance, c.getString("memberCode"), order, 2);
        assertEquals(Map.of("SPONSOR_BONUS", "99.99", "LEVEL:1", "49.99"), cLines);
        Map<String, String> aLines = CommissionFixtures.awaitOrderLines(finance, a.getString("memberCode"), order, 1);
        assertEquals(Map.of("LEVEL:2", "29.99"), aLines);
        assertEquals(Map.of(), CommissionFixtures.orderLines(finance, b.getString("memberCode"), order), "B is compressed away");
        Wallets.Member cMember = new Wallets.Member(c.getString("memberCode"), cBearer, c.getString("username"));
        assertEquals("149.98", Wallets.available(cMember));

        // why did I earn this: the chain from the line to the rule, the order and the plan version
        JsonPath mine = given().header("Authorization", cBearer).get("/api/v1/commission/earnings").then().statusCode(200).extract().jsonPath();
        long levelLine = mine.getLong("items.find { it.rule == 'LEVEL' }.id");
        given().header("Authorization", cBearer).get("/api/v1/commission/earnings/" + levelLine + "/trace").then().statusCode(200)
                .body("line.sourceOrder", equalTo(order))
                .body("line.sourceMember", equalTo(d.getString("memberCode")))
                .body("explanation", containsString("Level 1 commission: 5% of the BV"))
                .body("source.invoice", org.hamcrest.Matchers.notNullValue())
                .body("planVersion.version", equalTo(CommissionFixtures.planVersion()));
        long aLevelLine = given().header("Authorization", finance.bearer()).get("/api/v1/commission/members/" + a.getString("memberCode") + "/earnings")
                .then().extract().jsonPath().getLong("items.find { it.rule == 'LEVEL' && it.level == 2 }.id");
        given().header("Authorization", finance.bearer())
                .get("/api/v1/commission/members/" + a.getString("memberCode") + "/earnings/" + aLevelLine + "/trace").then().statusCode(200)
                .body("source.compressedAway.member", hasItem(b.getString("memberCode")));
        // a distributor sees only their own lines
        given().header("Authorization", dBearer).get("/api/v1/commission/earnings/" + levelLine + "/trace").then().statusCode(404);

        // a redelivery of every event (as after a crash before the acknowledgement) pays nothing again
        Network.query("update commerce.outbox_consumer set last_txid = '0', last_position = 0 where consumer = 'commission' returning 1");
        CommissionFixtures.awaitConsumerCaughtUp();
        assertEquals(Map.of("SPONSOR_BONUS", "99.99", "LEVEL:1", "49.99"), CommissionFixtures.orderLines(finance, c.getString("memberCode"), order));
        assertEquals("149.98", Wallets.available(cMember));

        // three one-unit refunds take back a third each, cumulatively rounded: 16.66 + 16.66 + 16.67 = 49.99 of the level line
        List<String> sponsorClawbacks = new ArrayList<>();
        List<String> levelClawbacks = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                    .body("{\"lines\":[{\"lineNo\":1,\"quantity\":1}],\"reason\":\"Return " + i + "\"}")
                    .post("/api/v1/orders/" + order + "/returns").then().statusCode(201);
            List<JsonPath> clawbacks = CommissionFixtures.awaitClawbacks(finance, c.getString("memberCode"), order, 2 * i);
            sponsorClawbacks.add(clawbacks.stream().filter(l -> l.getString("level") == null).findFirst().orElseThrow().getString("amount.amount"));
            levelClawbacks.add(clawbacks.stream().filter(l -> l.getString("level") != null).findFirst().orElseThrow().getString("amount.amount"));
        }
        assertEquals(List.of("-33.33", "-33.33", "-33.33"), sponsorClawbacks);
        assertEquals(List.of("-16.66", "-16.66", "-16.67"), levelClawbacks);
        JsonPath summary = given().header("Authorization", cBearer).get("/api/v1/commission/earnings/summary").then().statusCode(200)
                .body("status", equalTo("OPEN")).extract().jsonPath();
        assertEquals("-149.98", summary.getString("outstanding.amount"), "both of C's lines are taken back in full");
        assertEquals(List.of(), Wallets.invariantViolations());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void workersRunningAtOnceHandleEveryEventOnce() throws Exception {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account finance = Accounts.create("finance");
        CommissionFixtures.plan(admin);
        String root = Network.root(admin);
        JsonPath sponsor = Network.join(admin, root, "Sita Sponsor");
        String sponsorBearer = Network.activate(sponsor);
        CommissionFixtures.Store store = CommissionFixtures.store(admin);
        CommissionFixtures.buy(admin, sponsorBearer, store, store.small(), 1);
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            JsonPath recruit = Network.join(admin, sponsor.getString("memberCode"), "Recruit " + i);
            orders.add(CommissionFixtures.buy(admin, Network.activate(recruit), store, store.large(), 1));
        }
        // the instance's own worker and two more in this JVM drain the outbox at the same time
        CompletableFuture<Integer> one = processor.processBatch(3).subscribeAsCompletionStage();
        CompletableFuture<Integer> two = processor.processBatch(3).subscribeAsCompletionStage();
        one.get();
        two.get();
        CommissionFixtures.awaitConsumerCaughtUp();
        Map<String, Integer> perOrder = new TreeMap<>();
        for (JsonPath line : Commissions.lines(finance, sponsor.getString("memberCode"))) {
            perOrder.merge(line.getString("sourceOrder") + ":" + line.getString("rule"), 1, Integer::sum);
        }
        for (String order : orders) {
            assertEquals(1, perOrder.get(order + ":SPONSOR_BONUS"), "one sponsor bonus for " + order);
            assertEquals(1, perOrder.get(order + ":LEVEL"), "one level-1 commission for " + order);
        }
        // 6 x (33.33 + 16.66) = 299.94
        Wallets.Member member = new Wallets.Member(sponsor.getString("memberCode"), sponsorBearer, sponsor.getString("username"));
        assertEquals("299.94", Wallets.available(member));
        assertEquals(List.of(), Wallets.invariantViolations());
    }
}
