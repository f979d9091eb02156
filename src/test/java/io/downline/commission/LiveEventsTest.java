package io.downline.commission;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.downline.genealogy.api.MemberRanks;
import io.downline.support.Accounts;
import io.downline.support.Commissions;
import io.downline.support.Kyc;
import io.downline.support.Network;
import io.downline.support.Shop;
import io.downline.support.TestDatabase;
import io.downline.support.Wallets;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The engine's real-time side beyond orders: genealogy's events (a registration pays nothing but is recorded, rank
 * changes), the KYC gate of a plan that requires it, and a poison event set aside without stopping the consumer.
 */
@QuarkusTest
class LiveEventsTest {

    @Inject
    MemberRanks ranks;

    @Inject
    Pool pool;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aRegistrationPaysNothingButIsRecordedAndRankChangesAreEvents() {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account finance = Accounts.create("finance");
        CommissionFixtures.plan(admin);
        CommissionFixtures.Store store = CommissionFixtures.store(admin);
        JsonPath sponsor = Network.join(admin, Network.root(admin), "Meera Sponsor");
        String sponsorCode = sponsor.getString("memberCode");
        // the sponsor qualifies: a registration would be paid now if anything paid for one
        CommissionFixtures.buy(admin, Network.activate(sponsor), store, store.small(), 1);
        CommissionFixtures.awaitConsumerCaughtUp();
        String creditsBefore = Network.query("select count(*) from tds.commission_credit");
        int sponsorLines = Commissions.lines(finance, sponsorCode).size();

        String recruit = Network.join(admin, sponsorCode, "Ravi Recruit").getString("memberCode");
        String outcome = CommissionFixtures.await(() -> Network.query("""
                select p.outcome from genealogy.outbox_event e join commission.processed_event p on p.event_id = e.id
                 where e.type = 'member.registered' and e.payload ->> 'memberCode' = ?""", recruit), o -> o != null);
        assertEquals("enrolment recorded", outcome);
        assertEquals(sponsorCode, Network.query("""
                select d.member_code from commission.enrolment en join genealogy.distributor d on d.id = en.sponsor_id where en.member_code = ?""", recruit));
        CommissionFixtures.awaitConsumerCaughtUp();
        assertEquals(creditsBefore, Network.query("select count(*) from tds.commission_credit"), "no money moved for a registration");
        assertEquals(sponsorLines, Commissions.lines(finance, sponsorCode).size(), "nothing earned for recruiting");
        assertEquals(List.of(), Commissions.lines(finance, recruit));

        // ranks are the plan's names: one event per member whose rank changes, none for one already at the rank
        long sponsorId = Long.parseLong(Network.query("select id from genealogy.distributor where member_code = ?", sponsorCode));
        long recruitId = Long.parseLong(Network.query("select id from genealogy.distributor where member_code = ?", recruit));
        List<MemberRanks.RankChange> changes = pool.withTransaction(conn -> ranks.change(conn,
                Map.of(sponsorId, "SILVER", recruitId, MemberRanks.STARTING_RANK), "test promotion")).await().indefinitely();
        assertEquals(List.of(new MemberRanks.RankChange(sponsorId, sponsorCode, "MEMBER", "SILVER")), changes);
        assertEquals("1", Network.query("select count(*) from genealogy.outbox_event where type = 'member.rank_changed' and payload ->> 'memberCode' = ?",
                sponsorCode));
        assertEquals("0", Network.query("select count(*) from genealogy.outbox_event where type = 'member.rank_changed' and payload ->> 'memberCode' = ?",
                recruit));
        assertEquals("SILVER", CommissionFixtures.await(() -> Network.query("select rank from commission.member_rank where member_id = ?", sponsorId),
                "SILVER"::equals));
        given().header("Authorization", admin.bearer()).get("/api/v1/members/" + sponsorCode).then().statusCode(200).body("rank", equalTo("SILVER"));
        // a redelivery of genealogy's events records nothing twice
        Network.query("update genealogy.outbox_consumer set last_txid = '0', last_position = 0 where consumer = 'commission' returning 1");
        CommissionFixtures.await(() -> Network.query("""
                select count(*) from genealogy.outbox_event e, genealogy.outbox_consumer c
                 where c.consumer = 'commission' and (e.txid, e.position) > (c.last_txid, c.last_position)"""), "0"::equals);
        assertEquals("1", Network.query("select count(*) from commission.enrolment where member_code = ?", recruit));
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aPlanRequiringKycCompressesMembersWithoutIt() {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account finance = Accounts.create("finance");
        CommissionFixtures.plan(admin);
        // a later plan version that requires KYC, in force for a period of its own (the tests' period keeps its plan)
        Commissions.upload(admin, "application/json", CommissionFixtures.PLAN.replace("\"requireKyc\": false", "\"requireKyc\": true"),
                "2030-06-01T00:00:00Z").then().statusCode(201);
        JsonPath a = Network.join(admin, Network.root(admin), "Asha Approved");
        JsonPath b = Network.join(admin, a.getString("memberCode"), "Bina Pending");
        JsonPath c = Network.join(admin, b.getString("memberCode"), "Charu Buyer");
        Kyc.approve(new Wallets.Member(a.getString("memberCode"), Network.activate(a), a.getString("username")));
        for (JsonPath member : List.of(a, b, c)) {
            Network.query("""
                    insert into genealogy.personal_volume (period, distributor_id, pv, bv) select '2030-06', id, 100, 100 from genealogy.distributor
                     where member_code = ? returning 1""", member.getString("memberCode"));
        }
        // C's paid order of 1,000.00 BV in that period (the engine's input, as commerce writes it)
        String order = java.util.UUID.randomUUID().toString();
        Network.query("""
                with e as (insert into commerce.outbox_event (id, type, payload)
                           select gen_random_uuid(), 'order.paid', jsonb_build_object('orderId', ?::text, 'distributorId', id, 'memberCode', member_code,
                                  'period', '2030-06', 'pv', '10.00', 'bv', '1000.00', 'currency', 'INR', 'invoiceNumber', 'KYC/1')
                             from genealogy.distributor where member_code = ? returning type)
                select pg_notify('commerce_outbox', type) from e""", order, c.getString("memberCode"));
        CommissionFixtures.awaitConsumerCaughtUp();

        // B (C's sponsor) has no approved KYC: the sponsor bonus is forfeited and level 1 rolls up to A
        assertEquals(Map.of(), CommissionFixtures.orderLines(finance, b.getString("memberCode"), order));
        assertEquals(Map.of("LEVEL:1", "50.00"), CommissionFixtures.orderLines(finance, a.getString("memberCode"), order));
        long line = given().header("Authorization", finance.bearer()).get("/api/v1/commission/members/" + a.getString("memberCode") + "/earnings")
                .then().extract().jsonPath().getLong("items.find { it.sourceOrder == '" + order + "' }.id");
        JsonPath trace = given().header("Authorization", finance.bearer())
                .get("/api/v1/commission/members/" + a.getString("memberCode") + "/earnings/" + line + "/trace").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("KYC not approved", trace.getString("source.compressedAway.find { it.member == '" + b.getString("memberCode") + "' }.reason"));
        assertEquals(List.of(), Wallets.invariantViolations());
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void anEventTheLedgerRefusesIsSetAsideAndTheConsumerGoesOn() throws Exception {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account finance = Accounts.create("finance");
        CommissionFixtures.plan(admin);
        CommissionFixtures.Store store = CommissionFixtures.store(admin);
        JsonPath sponsor = Network.join(admin, Network.root(admin), "Pooja Sponsor");
        String sponsorCode = sponsor.getString("memberCode");
        CommissionFixtures.buy(admin, Network.activate(sponsor), store, store.small(), 1);
        String xBearer = Network.activate(Network.join(admin, sponsorCode, "Xavier Refused"));
        String yBearer = Network.activate(Network.join(admin, sponsorCode, "Yamini After"));
        JsonPath refused = Shop.checkout(xBearer, "[" + Shop.line(store.large(), 1) + "]", "27", null).then().statusCode(201).extract().jsonPath();
        String refusedOrder = refused.getString("id");
        CommissionFixtures.awaitConsumerCaughtUp();
        // the ledger refuses every credit of that order (as it would for a member it no longer knows)
        execute("alter table tds.commission_credit add constraint poison_test check (source_reference not like 'order:" + refusedOrder + ":%') not valid");
        try {
            Shop.pay(admin, refusedOrder, Shop.unique("pay"), refused.getString("grandTotal.amount")).then().statusCode(200);
            String after = CommissionFixtures.buy(admin, yBearer, store, store.large(), 1);

            // the events after it are paid; it is set aside with the ledger's reason, visible to admins
            assertEquals(Map.of("SPONSOR_BONUS", "33.33", "LEVEL:1", "16.66"), CommissionFixtures.awaitOrderLines(finance, sponsorCode, after, 2));
            CommissionFixtures.awaitConsumerCaughtUp();
            assertEquals(Map.of(), CommissionFixtures.orderLines(finance, sponsorCode, refusedOrder));
            JsonPath letters = given().header("Authorization", admin.bearer()).get("/api/v1/commission/dead-letters").then().statusCode(200)
                    .extract().jsonPath();
            Map<String, Object> letter = letters.getMap("items.find { it.payload.orderId == '" + refusedOrder + "' }");
            assertEquals("commerce", letter.get("source"));
            assertEquals("order.paid", letter.get("type"));
            assertTrue(((String) letter.get("reason")).contains("23514"), "the reason names the refusal: " + letter.get("reason"));
            assertEquals("dead-lettered", Network.query("select outcome from commission.processed_event where event_id = ?::uuid", letter.get("eventId")));
            given().header("Authorization", Accounts.create("support").bearer())
                    .get("/api/v1/commission/dead-letters").then().statusCode(403);

            // replayed before its cause is fixed: it fails again, stays dead-lettered with the new error, and pays nothing
            long id = ((Number) letter.get("id")).longValue();
            replay(admin, id, UUID.randomUUID().toString()).then().statusCode(409).contentType("application/problem+json")
                    .body("type", equalTo("urn:downline:problem:replay-failed")).body("detail", containsString("23514"));
            replay(finance, id, UUID.randomUUID().toString()).then().statusCode(403);
            replay(admin, Long.MAX_VALUE, UUID.randomUUID().toString()).then().statusCode(404)
                    .body("type", equalTo("urn:downline:problem:not-found"));
            Map<String, Object> failed = deadLetter(admin, refusedOrder);
            assertEquals(1, failed.get("attempts"));
            assertEquals(admin.username(), failed.get("lastAttemptBy"));
            assertEquals(null, failed.get("replayedAt"));
            assertTrue(((String) failed.get("reason")).contains("23514"), "the new error: " + failed.get("reason"));
            assertEquals(Map.of(), CommissionFixtures.orderLines(finance, sponsorCode, refusedOrder));
        } finally {
            execute("alter table tds.commission_credit drop constraint poison_test");
        }

        // the cause fixed, two admins replay it at once: one pays the order's commissions, the other finds it replayed
        long id = ((Number) deadLetter(admin, refusedOrder).get("id")).longValue();
        Accounts.Account other = Accounts.create("admin");
        String key = UUID.randomUUID().toString();
        CompletableFuture<io.restassured.response.Response> first = CompletableFuture.supplyAsync(() -> replay(admin, id, key));
        CompletableFuture<io.restassured.response.Response> second = CompletableFuture.supplyAsync(() -> replay(other, id, UUID.randomUUID().toString()));
        List<io.restassured.response.Response> answers = List.of(first.join(), second.join());
        assertEquals(List.of(200, 409), answers.stream().map(io.restassured.response.Response::statusCode).sorted().toList());
        JsonPath replayed = answers.stream().filter(a -> a.statusCode() == 200).findFirst().orElseThrow().jsonPath();
        String replayer = replayed.getString("replayedBy");
        assertTrue(List.of(admin.username(), other.username()).contains(replayer), replayer);
        assertEquals(2, replayed.getInt("attempts"));
        answers.stream().filter(a -> a.statusCode() == 409).findFirst().orElseThrow().then()
                .body("type", equalTo("urn:downline:problem:already-replayed"));
        assertEquals(Map.of("SPONSOR_BONUS", "33.33", "LEVEL:1", "16.66"), CommissionFixtures.orderLines(finance, sponsorCode, refusedOrder));
        assertEquals("paid", Network.query("select outcome from commission.processed_event where event_id = ?::uuid", replayed.getString("eventId")));

        // asked again (same key: the same answer; a new key: already replayed), it pays nothing more
        if (admin.username().equals(replayer)) {
            replay(admin, id, key).then().statusCode(200).body("replayedBy", equalTo(replayer));
        }
        replay(admin, id, UUID.randomUUID().toString()).then().statusCode(409).body("type", equalTo("urn:downline:problem:already-replayed"));
        assertEquals("2", Network.query("select count(*) from tds.commission_credit where source_reference like ?", "order:" + refusedOrder + ":%"));
        assertEquals(Map.of("SPONSOR_BONUS", "33.33", "LEVEL:1", "16.66"), CommissionFixtures.orderLines(finance, sponsorCode, refusedOrder));

        // both attempts are in the audit log, the failed one and the replay
        given().header("Authorization", admin.bearer()).queryParam("subjectType", "commission-dead-letter").queryParam("subjectId", id)
                .get("/api/v1/audit/events").then().statusCode(200)
                .body("items.action", contains("COMMISSION_DEAD_LETTER_REPLAYED", "COMMISSION_DEAD_LETTER_REPLAY_FAILED"))
                .body("items[0].actor", equalTo(replayer)).body("items[0].after.replayedBy", equalTo(replayer));
        assertEquals(List.of(), Wallets.invariantViolations());
    }

    private static io.restassured.response.Response replay(Accounts.Account who, long id, String key) {
        return given().header("Authorization", who.bearer()).header("Idempotency-Key", key)
                .post("/api/v1/commission/dead-letters/" + id + "/replay");
    }

    private static Map<String, Object> deadLetter(Accounts.Account admin, String orderId) {
        return given().header("Authorization", admin.bearer()).get("/api/v1/commission/dead-letters").then().statusCode(200)
                .extract().jsonPath().getMap("items.find { it.payload.orderId == '" + orderId + "' }");
    }

    private static void execute(String sql) throws Exception {
        try (Connection db = TestDatabase.connect(); Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }
}
