package io.downline.genealogy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.downline.genealogy.api.Volumes;
import io.downline.support.Accounts;
import io.downline.support.Network;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Downline sums with the open period's volume on the tree rows: right for the open period (read from the label index)
 * and for every other period (read from personal_volume), through refunds, a period change, late entries for an older
 * period and concurrent orders. The periods are far in the future, so that they are the newest any test records.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DownlineVolumeTest {

    static final String FIRST = "9999-01";
    static final String SECOND = "9999-02";

    static Accounts.Account admin;
    static String sponsor;
    static String left;
    static String right;
    static String leftLeft;

    @Inject
    Volumes volumes;

    @Inject
    Pool pool;

    @BeforeEach
    void network() {
        if (admin == null) {
            admin = Accounts.create("admin");
            String root = Network.root(admin);
            sponsor = Network.join(admin, root, "Volume Sponsor " + UUID.randomUUID()).getString("memberCode");
            left = Network.join(admin, sponsor, "Volume Left").getString("memberCode");
            right = Network.join(admin, sponsor, "Volume Right", "{\"mode\":\"EXTREME_RIGHT\"}").getString("memberCode");
            leftLeft = Network.join(admin, sponsor, "Volume Left Left").getString("memberCode");
        }
    }

    @Test
    @Order(1)
    void theOpenPeriodsVolumeIsOnTheTreeRowsAndSums() {
        manual(left, FIRST, "100.00", "80.00");
        manual(leftLeft, FIRST, "50.00", "40.00");
        manual(right, FIRST, "30.00", "20.00");
        manual(sponsor, FIRST, "999.00", "999.00");
        assertEquals(FIRST, Network.query("select period from genealogy.volume_period"));
        assertEquals("100.00|80.00", Network.query("""
                select string_agg(distinct t.pv || '|' || t.bv, ',') from genealogy.tree_node t join genealogy.distributor d on d.id = t.node_id
                 where d.member_code = ? and t.vol_period = genealogy.period_key(?)""", left, FIRST), "both trees' rows carry it");
        summary(FIRST, "").body("teamSize", equalTo(3)).body("groupPv", equalTo(180.0f)).body("groupBv", equalTo(140.0f))
                .body("levels[0].members", equalTo(2)).body("levels[0].pv", equalTo(130.0f))
                .body("deeper.members", equalTo(1)).body("deeper.pv", equalTo(50.0f))
                .body("legs[0].pv", equalTo(150.0f)).body("legs[0].bv", equalTo(120.0f)).body("legs[1].pv", equalTo(30.0f));
        summary(FIRST, "&tree=SPONSOR").body("teamSize", equalTo(3)).body("groupPv", equalTo(180.0f)).body("levels[0].members", equalTo(3));
        assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());
    }

    @Test
    @Order(2)
    void ordersAndRefundsThroughVolumesChangeTheSums() {
        record(left, FIRST, "25.50", "20.00", "order");
        record(left, FIRST, "-60.00", "-50.00", "return");
        record(right, FIRST, "-30.00", "-20.00", "return");
        summary(FIRST, "").body("groupPv", equalTo(115.5f)).body("groupBv", equalTo(90.0f))
                .body("legs[0].pv", equalTo(115.5f)).body("legs[1].pv", equalTo(0.0f)).body("legs[1].bv", equalTo(0.0f));
        assertEquals("65.50|50.00", Network.query("""
                select pv || '|' || bv from genealogy.personal_volume v join genealogy.distributor d on d.id = v.distributor_id
                 where d.member_code = ? and v.period = ?""", left, FIRST));
        assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());
    }

    @Test
    @Order(3)
    void aNewPeriodOpensAndTheClosedOnesStillSumRight() {
        // nothing recorded in the next period yet: it sums to zero already
        summary(SECOND, "").body("teamSize", equalTo(3)).body("groupPv", equalTo(0.0f));
        record(right, SECOND, "10.00", "7.00", "order");
        assertEquals(SECOND, Network.query("select period from genealogy.volume_period"));
        summary(SECOND, "").body("groupPv", equalTo(10.0f)).body("groupBv", equalTo(7.0f)).body("legs[0].pv", equalTo(0.0f))
                .body("legs[1].pv", equalTo(10.0f));
        // left and left-left still carry the first period's figures on their rows; the first period sums from personal_volume
        summary(FIRST, "").body("groupPv", equalTo(115.5f)).body("groupBv", equalTo(90.0f)).body("legs[0].pv", equalTo(115.5f));
        // a late entry for the older period counts there and not in the open one
        manual(leftLeft, FIRST, "4.50", "3.00");
        summary(FIRST, "").body("groupPv", equalTo(120.0f)).body("deeper.pv", equalTo(54.5f));
        summary(SECOND, "").body("groupPv", equalTo(10.0f));
        record(left, SECOND, "1.00", "1.00", "order");
        summary(SECOND, "").body("groupPv", equalTo(11.0f)).body("legs[0].pv", equalTo(1.0f));
        summary(FIRST, "").body("groupPv", equalTo(120.0f));
        assertEquals("0", Network.query("""
                select count(*) from genealogy.tree_node t join genealogy.distributor d on d.id = t.node_id
                 where d.member_code = ? and t.vol_period = genealogy.period_key(?)""", leftLeft, SECOND));
        assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());
    }

    @Test
    @Order(4)
    void concurrentOrdersForTheSameMembersAddUpWithoutDeadlocks() throws Exception {
        List<Long> members = List.of(id(left), id(right), id(leftLeft), id(sponsor));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        long member = members.get((offset + i) % 4);
                        pool.withTransaction(conn -> volumes.record(conn, SECOND, member, new BigDecimal("1.00"), new BigDecimal("0.50"), "order",
                                "concurrent", "test")).await().indefinitely();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdown();
        }
        // 320 recordings of 1.00 over the four members, 80 of them the sponsor's own, which is not in their group
        summary(SECOND, "").body("groupPv", equalTo(251.0f)).body("groupBv", equalTo(128.0f));
        summary(SECOND, "&tree=SPONSOR").body("groupPv", equalTo(251.0f));
        assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());
    }

    @Test
    @Order(5)
    void periodKeysOrderMonthsAndWeeksByTheirStart() {
        assertEquals("t", Network.query("select genealogy.period_key('2026-11') < genealogy.period_key('2026-12')"));
        assertEquals("t", Network.query("select genealogy.period_key('2026-W52') < genealogy.period_key('2027-01')"));
        assertEquals("t", Network.query("select genealogy.period_key('2026-W53') is not null and genealogy.period_key('2026-W01') < genealogy.period_key('2026-01')"));
        // 2026-06-01 is a Monday: the month and its first week start together and still differ
        assertEquals("t", Network.query("select genealogy.period_key('2026-06') + 1 = genealogy.period_key('2026-W23')"));
        assertEquals(null, Network.query("select genealogy.period_key('2026-13x')"));
    }

    private static long id(String memberCode) {
        return Long.parseLong(Network.query("select id from genealogy.distributor where member_code = ?", memberCode));
    }

    private void record(String member, String period, String pv, String bv, String source) {
        long id = id(member);
        pool.withTransaction(conn -> volumes.record(conn, period, id, new BigDecimal(pv), new BigDecimal(bv), source, "test", "test"))
                .await().indefinitely();
    }

    private static io.restassured.response.ValidatableResponse summary(String period, String more) {
        return given().header("Authorization", admin.bearer()).get("/api/v1/members/" + sponsor + "/summary?levels=1&period=" + period + more)
                .then().statusCode(200);
    }

    private static void manual(String member, String period, String pv, String bv) {
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"memberCode\":\"" + member + "\",\"period\":\"" + period + "\",\"pv\":" + pv + ",\"bv\":" + bv + ",\"reason\":\"test\"}")
                .post("/api/v1/volumes").then().statusCode(201);
    }
}
