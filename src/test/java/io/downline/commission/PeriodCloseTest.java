package io.downline.commission;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.downline.commission.app.PeriodClose;
import io.downline.genealogy.api.MemberRanks;
import io.downline.support.Accounts;
import io.downline.support.Commissions;
import io.downline.support.Network;
import io.downline.support.TestClock;
import io.downline.support.Wallets;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The period close through the API, over five periods of 2099 with hand-computed amounts (the clock is moved past them;
 * the periods are removed at the end so that other tests' plan dates stay valid). Network: S sponsors A (placed in S's
 * left leg); A sponsors L (A's left leg) and R (A's right leg). Binary: 100.00 BV a pair paying 10.00, at most 2 pairs a
 * period with the excess flushed; matching 10% of generation 1; SILVER at 10 PV and 50 group PV with one pool share;
 * pool 1% of company BV; level 1 10% for the instant side; from April a payout cap of 5% of BV. Volumes are written as
 * genealogy records them (a refund is netted into its period); orders and refunds of 2099 come as commerce's outbox
 * events, which the live workers pay.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeriodCloseTest {

    static final String PLAN = """
            {"currency": "INR", "periodKind": "MONTHLY",
             "qualification": {"minPersonalPv": 10, "requireActive": true, "requireKyc": false},
             "levels": {"ratePercents": [10], "basis": "BV", "compression": "DYNAMIC"},
             "binary": {"basis": "BV", "leftUnit": 10000, "rightUnit": 10000, "firstPair": "STANDARD", "pay": "PER_PAIR",
                        "perPairMinor": 1000, "maxPairsPerPeriod": 2, "capExcess": "FLUSH", "requireActiveDirectEachSide": false,
                        "flushWhenUnqualified": false},
             "matching": {"generations": [{"ratePercent": 10}]},
             "ranks": [{"code": "SILVER", "name": "Silver", "minPersonalPv": 10, "minGroupVolume": 50, "minQualifiedLegs": 0,
                        "minLegVolume": 0, "poolShares": 1}],
             "pool": {"percentOfCompanyBv": 1}%s}""";
    static final String UNCAPPED = PLAN.formatted("");
    static final String CAPPED = PLAN.formatted(", \"payoutCap\": {\"percentOfBv\": 5}");

    static Accounts.Account admin;
    static Accounts.Account finance;
    static String s;
    static String a;
    static String l;
    static String r;
    static String aBearer;
    static String order;
    static TestClock movedClock;

    @Inject
    TestClock clock;

    @Inject
    PeriodClose closer;

    @Inject
    MemberRanks memberRanks;

    @Inject
    Pool pool;

    @BeforeEach
    void network() {
        movedClock = clock;
        if (admin != null) {
            return;
        }
        admin = Accounts.create("admin");
        finance = Accounts.create("finance");
        // the shared test plan first: it must take effect before every period that exists, and these are far later
        CommissionFixtures.plan(admin);
        Commissions.upload(admin, "application/json", UNCAPPED, "2099-01-01T00:00:00Z").then().statusCode(201);
        Commissions.upload(admin, "application/json", CAPPED, "2099-04-01T00:00:00Z").then().statusCode(201);
        String root = Network.root(admin);
        JsonPath sJoined = Network.join(admin, root, "Sunita Sponsor");
        s = sJoined.getString("memberCode");
        JsonPath aJoined = Network.join(admin, s, "Arjun Binary", explicit(s, "LEFT"));
        a = aJoined.getString("memberCode");
        JsonPath lJoined = Network.join(admin, a, "Lata Left", explicit(a, "LEFT"));
        l = lJoined.getString("memberCode");
        JsonPath rJoined = Network.join(admin, a, "Ravi Right", explicit(a, "RIGHT"));
        r = rJoined.getString("memberCode");
        Network.activate(sJoined);
        aBearer = Network.activate(aJoined);
        Network.activate(lJoined);
        Network.activate(rJoined);
    }

    @AfterAll
    static void removeThePeriods() {
        if (movedClock != null) {
            movedClock.reset();
        }
        if (admin == null) {
            return;
        }
        Network.query("""
                with snap as (delete from commission.close_snapshot where period like '2099-%' returning 1),
                     ranks as (delete from commission.rank_history where period like '2099-%' returning 1),
                     carry as (delete from commission.carry_forward where period like '2099-%' returning 1)
                select (select count(*) from snap) + (select count(*) from ranks) + (select count(*) from carry)""");
        Network.query("update commission.line set reverses_line = null where period like '2099-%' returning 1");
        Network.query("delete from commission.line where period like '2099-%' returning 1");
        Network.query("delete from commission.period where period like '2099-%' returning 1");
    }

    private void pastTheTestPeriods() {
        clock.reset();
        clock.advance(Duration.between(Instant.now(), Instant.parse("2099-07-01T00:00:00Z")));
    }

    @Test
    @Order(1)
    void aPeriodThatHasNotEndedCannotBeClosedAndTheEstimateProjectsItsBonuses() {
        clock.reset();
        volume(a, "2099-01", "10", "10.00");
        volume(l, "2099-01", "30", "250.00");
        volume(r, "2099-01", "20", "120.00");
        volume(s, "2099-01", "10", "10.00");
        close(admin, "2099-01").then().statusCode(409);
        close(finance, "2099-01").then().statusCode(403);

        // if January closed now: A pairs 250/120 once (10.00) and shares the pool (1% of 390.00 over two SILVER shares)
        given().header("Authorization", aBearer).queryParam("period", "2099-01").get("/api/v1/commission/earnings/estimate")
                .then().statusCode(200).body("memberCode", equalTo(a)).body("total.amount", equalTo("11.95"))
                .body("paidAsRank", equalTo("SILVER")).body("lines.find { it.rule == 'BINARY' }.units", equalTo(1))
                .body("lines.find { it.rule == 'POOL' }.amount.amount", equalTo("1.95"));
        given().header("Authorization", finance.bearer()).queryParam("period", "2099-01")
                .get("/api/v1/commission/members/" + s + "/earnings/estimate").then().statusCode(200)
                .body("total.amount", equalTo("2.95")).body("lines.find { it.rule == 'MATCHING' }.sourceMember", equalTo(a));
    }

    @Test
    @Order(2)
    void januaryPaysBinaryMatchingAndPoolAndCarriesTheRest() {
        pastTheTestPeriods();
        close(admin, "2099-01").then().statusCode(202).body("status", equalTo("CLOSING"));
        JsonPath closed = awaitClosed("2099-01");
        assertEquals("390.00", closed.getString("close.companyBv.amount"));
        assertEquals("14.90", closed.getString("close.paid.amount"));
        assertEquals(4, closed.getInt("close.lines"));
        assertEquals(List.of("BINARY 10.00 PAID", "POOL 1.95 PAID"), periodLines(a, "2099-01"));
        assertEquals(List.of("MATCHING:1 1.00 PAID", "POOL 1.95 PAID"), periodLines(s, "2099-01"));
        assertEquals(List.of(), periodLines(l, "2099-01"));
        assertEquals("15000/2000", carry(a, "2099-01"), "L250/R120: one pair, carry 150/20");
        assertEquals("SILVER/SILVER", Network.query("""
                select h.paid_as || '/' || h.highest from commission.rank_history h join genealogy.distributor d on d.id = h.member_id
                 where h.period = '2099-01' and d.member_code = ?""", a));
        // the ranks reached the network with the period's lock: one member.rank_changed each, shown by the member API
        assertEquals(2, closed.getInt("close.ranksChanged"));
        for (String member : List.of(a, s)) {
            given().header("Authorization", admin.bearer()).get("/api/v1/members/" + member).then().statusCode(200).body("rank", equalTo("SILVER"));
            assertEquals("1", rankEvents(member, "close 2099-01"));
        }
        given().header("Authorization", admin.bearer()).get("/api/v1/members/" + l).then().statusCode(200).body("rank", equalTo("MEMBER"));

        // why did I earn this: pairs, legs and carry
        JsonPath mine = given().header("Authorization", aBearer).queryParam("period", "2099-01").get("/api/v1/commission/earnings")
                .then().statusCode(200).extract().jsonPath();
        long binary = mine.getLong("items.find { it.rule == 'BINARY' }.id");
        given().header("Authorization", aBearer).get("/api/v1/commission/earnings/" + binary + "/trace").then().statusCode(200)
                .body("source.pairs", equalTo(1)).body("source.carryOut.left", equalTo(15000)).body("source.carryOut.right", equalTo(2000))
                .body("explanation", equalTo("Binary bonus: pairs of left and right leg volume in period 2099-01"));

        // a re-run is a no-op, and a closed period takes no estimate
        close(admin, "2099-01").then().statusCode(200).body("status", equalTo("CLOSED"));
        assertEquals("4", Network.query("select count(*) from tds.commission_credit where source_reference like 'close:2099-01:%'"));
        assertEquals("1", rankEvents(a, "close 2099-01"));
        given().header("Authorization", aBearer).queryParam("period", "2099-01").get("/api/v1/commission/earnings/estimate")
                .then().statusCode(409);
    }

    @Test
    @Order(3)
    void aRefundBeforeTheCloseReducesTheVolumeAndItsClawbackIsNettedOff() {
        // R's order of 180.00 BV pays A 10% at once; a third of it is refunded within February
        order = UUID.randomUUID().toString();
        volume(a, "2099-02", "10", "10.00");
        volume(r, "2099-02", "20", "120.00");
        volume(s, "2099-02", "10", "10.00");
        paid(order, r, "2099-02", "180.00", "20.00");
        Commissions.awaitLines(finance, a, 3);
        refunded(order, r, "2099-02", "-60.00");
        Commissions.awaitLines(finance, a, 4);
        assertEquals(List.of("CLAWBACK -6.00 OUTSTANDING", "LEVEL:1 18.00 PAID"), periodLines(a, "2099-02"));

        close(admin, "2099-02").then().statusCode(202);
        JsonPath closed = awaitClosed("2099-02");
        // carry 150/20 + new 0/120: one pair, carry 50/40; the clawback is recovered from A's binary (4.00 credited)
        assertEquals("5000/4000", carry(a, "2099-02"));
        assertEquals(List.of("BINARY 10.00 PAID", "CLAWBACK -6.00 RECOVERED", "LEVEL:1 18.00 PAID"), periodLines(a, "2099-02"));
        assertEquals("400", credited("close:2099-02:BINARY:%", a));
        assertEquals("6.00", closed.getString("close.clawbacksRecovered.amount"));
        assertEquals("18.00", closed.getString("close.instantPaid.amount"));
        given().header("Authorization", aBearer).queryParam("period", "2099-02").get("/api/v1/commission/earnings/summary")
                .then().statusCode(200).body("paid.amount", equalTo("22.00")).body("outstanding.amount", equalTo("0.00"));
    }

    @Test
    @Order(4)
    void aRefundAfterTheCloseIsAnAdjustmentOfTheNextPeriodAndTheCapFlushesThirdPair() {
        // the second third of R's order is refunded after February closed: its clawback goes to March, exactly
        refunded(order, r, "2099-02", "-60.00");
        Commissions.awaitLines(finance, a, 6);
        assertEquals(List.of("CLAWBACK -6.00 OUTSTANDING"), periodLines(a, "2099-03"));

        volume(a, "2099-03", "10", "10.00");
        volume(l, "2099-03", "30", "300.00");
        volume(r, "2099-03", "20", "300.00");
        volume(s, "2099-03", "10", "10.00");
        // A's own order pays S 6.00 and is refunded whole within March: S's earnings at the close will not cover it
        String own = UUID.randomUUID().toString();
        paid(own, a, "2099-03", "60.00", "10.00");
        Commissions.awaitLines(finance, s, 4);
        refunded(own, a, "2099-03", "-60.00");
        Commissions.awaitLines(finance, s, 5);

        close(admin, "2099-03").then().statusCode(202);
        JsonPath closed = awaitClosed("2099-03");
        // 350/340 makes three pairs: two are paid (20.00), the third's volume is flushed; carry 50/40
        assertEquals("5000/4000", carry(a, "2099-03"));
        assertEquals("10000/10000", Network.query("""
                select (trace->'flushed'->>'left') || '/' || (trace->'flushed'->>'right') from commission.line
                 where period = '2099-03' and rule = 'BINARY' and member_code = ?""", a));
        assertEquals(List.of("BINARY 20.00 PAID", "CLAWBACK -6.00 RECOVERED", "POOL 3.10 PAID"), periodLines(a, "2099-03"));
        assertEquals("1400", credited("close:2099-03:BINARY:%", a));
        assertEquals(List.of("CLAWBACK -6.00 CARRIED", "LEVEL:1 6.00 PAID", "MATCHING:1 2.00 PAID", "POOL 3.10 PAID"),
                periodLines(s, "2099-03"));
        assertEquals(List.of("CLAWBACK -6.00 OUTSTANDING"), periodLines(s, "2099-04"));
        assertEquals("28.20", closed.getString("close.paid.amount"));
        assertEquals("6.00", closed.getString("close.clawbacksCarried.amount"));
    }

    @Test
    @Order(5)
    void thePayoutCapScalesEveryLineByLargestRemainderAndTheSimulatorReproducesTheClose() {
        volume(a, "2099-04", "10", "10.00");
        volume(l, "2099-04", "30", "200.00");
        volume(r, "2099-04", "20", "200.00");
        volume(s, "2099-04", "10", "10.00");
        close(admin, "2099-04").then().statusCode(202);
        JsonPath closed = awaitClosed("2099-04");
        // earned 20.00 + 2.00 + 2.10 + 2.10 = 26.20 over a limit of 5% of 420.00 = 21.00: floor(x * 2100 / 2620) is
        // 1603, 160, 168, 168 (2099); the missing paisa goes to the largest remainder: the pool lines' are equal (840), and
        // S's comes first (S is A's placement parent, so earlier in pre-order)
        assertEquals("26.20", closed.getString("close.earned.amount"));
        assertEquals("21.00", closed.getString("close.paid.amount"));
        assertEquals("21.00", closed.getString("close.payoutLimit.amount"));
        assertEquals(List.of("BINARY 16.03 PAID", "POOL 1.68 PAID"), periodLines(a, "2099-04"));
        assertEquals(List.of("CLAWBACK -6.00 CARRIED", "MATCHING:1 1.60 PAID", "POOL 1.69 PAID"), periodLines(s, "2099-04"));

        // the paying plan as the draft reproduces the close exactly
        whatIf("2099-04", CAPPED).then().statusCode(200).body("paidAtClose.amount", equalTo("21.00"))
                .body("actual.totalPaid.amount", equalTo("21.00")).body("draft.totalPaid.amount", equalTo("21.00"))
                .body("totalDelta.amount", equalTo("0.00")).body("gainers.size()", equalTo(0)).body("losers.size()", equalTo(0))
                .body("draft.payoutPercentOfBv", equalTo("5.0000"));
        // without the cap every earner gains what the cap took
        whatIf("2099-04", UNCAPPED).then().statusCode(200).body("draft.totalPaid.amount", equalTo("26.20"))
                .body("draft.payoutPercentOfBv", equalTo("6.2381")).body("draft.earners", equalTo(2))
                .body("gainers.memberCode", equalTo(List.of(a, s))).body("gainers[0].delta.amount", equalTo("4.39"))
                .body("gainers[1].delta.amount", equalTo("0.81")).body("losers.size()", equalTo(0));
        // a draft breaking the Direct Selling Rules is refused naming the rule; an open period cannot be replayed
        whatIf("2099-04", CAPPED.replace("\"MONTHLY\",", "\"MONTHLY\", \"joiningFeeMinor\": 50000,")).then().statusCode(400)
                .body("errors.message", hasItem(org.hamcrest.Matchers.startsWith("NO_JOINING_FEE")));
        whatIf("2099-05", CAPPED).then().statusCode(409);
    }

    @Test
    @Order(6)
    void aCloseInterruptedAfterSomeBatchesResumesAndPaysEveryLineOnce() {
        volume(a, "2099-05", "10", "10.00");
        volume(l, "2099-05", "30", "200.00");
        volume(r, "2099-05", "20", "200.00");
        volume(s, "2099-05", "10", "10.00");
        // A's rank in the network was set back (by hand, say): the close must push SILVER again, once
        long aId = Long.parseLong(Network.query("select id from genealogy.distributor where member_code = ?", a));
        pool.withTransaction(conn -> memberRanks.change(conn, Map.of(aId, MemberRanks.STARTING_RANK), "test demotion")).await().indefinitely();
        // the service stops after two batches of one line (as if it crashed there)
        closer.begin("2099-05", admin.username()).await().indefinitely();
        assertTrue(closer.compute("2099-05").await().indefinitely());
        assertTrue(closer.postBatch("2099-05", 1).await().indefinitely());
        assertTrue(closer.postBatch("2099-05", 1).await().indefinitely());
        assertEquals("PAID:2,PENDING:2", Network.query("""
                select string_agg(status || ':' || n, ',' order by status) from (select status, count(*) n from commission.line
                 where period = '2099-05' and rule <> 'CLAWBACK' group by status) s"""));
        given().header("Authorization", finance.bearer()).get("/api/v1/commission/periods/2099-05").then().statusCode(200)
                .body("status", equalTo("CLOSING")).body("close.phase", equalTo("POSTING")).body("close.posted", equalTo(2));
        assertEquals("MEMBER", Network.query("select rank from genealogy.distributor where id = ?", aId), "ranks are pushed when the close ends");

        // a runner started directly stands in for a second instance resuming the same close while this one is asked to
        var otherInstance = closer.run("2099-05").subscribeAsCompletionStage();
        close(admin, "2099-05").then().statusCode(anyOf(equalTo(200), equalTo(202)));
        otherInstance.join();
        awaitClosed("2099-05");
        assertEquals("4/2100", Network.query("""
                select count(*) || '/' || sum(gross) from tds.commission_credit where source_reference like 'close:2099-05:%'"""));
        assertEquals("4", Network.query("select count(*) from commission.line where period = '2099-05' and status = 'PAID'"));
        close(admin, "2099-05").then().statusCode(200);
        assertEquals("4", Network.query("select count(*) from tds.commission_credit where source_reference like 'close:2099-05:%'"));
        assertEquals("SILVER", Network.query("select rank from genealogy.distributor where id = ?", aId));
        assertEquals("1", rankEvents(a, "close 2099-05"), "the resumed close pushed the rank once");
        assertEquals("0", rankEvents(s, "close 2099-05"), "a rank already in place is not pushed again");

        given().header("Authorization", finance.bearer()).queryParam("limit", 2).get("/api/v1/commission/periods").then().statusCode(200)
                .body("items[0].period", equalTo("2099-06")).body("items[1].period", equalTo("2099-05"));
        assertEquals(List.of(), Wallets.invariantViolations());
    }

    // --- helpers ---

    static String explicit(String parent, String side) {
        return "{\"mode\":\"EXPLICIT\",\"parent\":\"" + parent + "\",\"side\":\"" + side + "\"}";
    }

    static io.restassured.response.Response close(Accounts.Account who, String period) {
        return given().header("Authorization", who.bearer()).header("Idempotency-Key", UUID.randomUUID().toString())
                .post("/api/v1/commission/periods/" + period + "/close");
    }

    static io.restassured.response.Response whatIf(String period, String plan) {
        return given().header("Authorization", admin.bearer()).contentType("application/json").body(plan)
                .post("/api/v1/commission/periods/" + period + "/what-if");
    }

    static JsonPath awaitClosed(String period) {
        Instant deadline = Instant.now().plusSeconds(60);
        while (true) {
            JsonPath p = given().header("Authorization", finance.bearer()).get("/api/v1/commission/periods/" + period).then()
                    .statusCode(200).extract().jsonPath();
            if ("CLOSED".equals(p.getString("status"))) {
                assertEquals("DONE", p.getString("close.phase"));
                return p;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("period " + period + " did not close: " + p.prettify());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The member's lines of the period as "RULE[:level] amount STATUS", sorted. */
    static List<String> periodLines(String member, String period) {
        List<String> lines = new ArrayList<>();
        for (JsonPath line : Commissions.lines(finance, member)) {
            if (period.equals(line.getString("period"))) {
                Integer level = line.get("level");
                lines.add(line.getString("rule") + (level == null || "CLAWBACK".equals(line.getString("rule")) ? "" : ":" + level) + " "
                        + line.getString("amount.amount") + " " + line.getString("status"));
            }
        }
        Collections.sort(lines);
        return lines;
    }

    /** member.rank_changed events genealogy wrote for the member with this reason. */
    static String rankEvents(String member, String reason) {
        return Network.query("""
                select count(*) from genealogy.outbox_event where type = 'member.rank_changed' and payload ->> 'memberCode' = ?
                   and payload ->> 'reason' = ?""", member, reason);
    }

    static String carry(String member, String period) {
        return Network.query("""
                select c.left_volume || '/' || c.right_volume from commission.carry_forward c join genealogy.distributor d on d.id = c.member_id
                 where c.period = ? and d.member_code = ?""", period, member);
    }

    static String credited(String reference, String member) {
        return Network.query("""
                select sum(c.gross) from tds.commission_credit c join genealogy.distributor d on d.id = c.distributor_id
                 where c.source_reference like ? and d.member_code = ?""", reference, member);
    }

    /** The member's personal volume of the period, as genealogy keeps it (sales less refunds of the period). */
    static void volume(String member, String period, String pv, String bv) {
        Network.query("""
                insert into genealogy.personal_volume (period, distributor_id, pv, bv) select ?, id, ?::numeric, ?::numeric from genealogy.distributor
                 where member_code = ? on conflict (period, distributor_id) do update set pv = excluded.pv, bv = excluded.bv returning 1""",
                period, pv, bv, member);
    }

    static void paid(String orderId, String buyer, String period, String bv, String pv) {
        publish("order.paid", new io.vertx.core.json.JsonObject().put("orderId", orderId).put("distributorId", id(buyer))
                .put("memberCode", buyer).put("period", period).put("bv", bv).put("pv", pv).put("currency", "INR")
                .put("invoiceNumber", "TEST-" + orderId.substring(0, 8)));
    }

    static void refunded(String orderId, String buyer, String period, String bv) {
        publish("order.refunded", new io.vertx.core.json.JsonObject().put("orderId", orderId).put("returnId", UUID.randomUUID().toString())
                .put("distributorId", id(buyer)).put("memberCode", buyer).put("period", period).put("bv", bv).put("pv", "0")
                .put("currency", "INR").put("creditNoteNumber", "TEST-CN"));
    }

    private static long id(String member) {
        return Long.parseLong(Network.query("select id from genealogy.distributor where member_code = ?", member));
    }

    /** Writes an event as commerce does (its outbox row, then the wake-up the workers listen for). */
    private static void publish(String type, io.vertx.core.json.JsonObject payload) {
        Network.query("""
                with e as (insert into commerce.outbox_event (id, type, payload) values (?::uuid, ?, ?::jsonb) returning type)
                select pg_notify('commerce_outbox', type) from e""", UUID.randomUUID().toString(), type, payload.encode());
    }
}
