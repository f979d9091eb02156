package io.downline.genealogy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.downline.genealogy.api.Volumes;
import io.downline.support.Accounts;
import io.downline.support.Network;
import io.downline.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The label buckets stay exact (Network.invariantViolations: base + deltas against a recount per bucket, before and after
 * a fold, and downline_totals against a range scan) through a seeded random mix of registrations in every binary mode,
 * volume recordings and refunds in the open period, and moves; and the check notices a bucket that drifts.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabelBucketTest {

    static Accounts.Account admin;
    static final List<String> members = new ArrayList<>();

    @Inject
    Volumes volumes;

    @Inject
    Pool pool;

    @BeforeEach
    void network() {
        if (admin == null) {
            admin = Accounts.create("admin");
            String root = Network.root(admin);
            members.add(Network.join(admin, root, "Bucket Sponsor " + UUID.randomUUID()).getString("memberCode"));
        }
    }

    @Test
    @Order(1)
    void aRandomMixOfWritesKeepsTheBucketsExact() {
        SplittableRandom random = new SplittableRandom(20261201L);
        // the open period, whichever test opened it, so that the recordings reach the tree rows and their buckets
        String period = Objects.requireNonNullElse(Network.query("select period from genealogy.volume_period"),
                YearMonth.now(ZoneOffset.UTC).toString());
        String[] modes = { "EXTREME_LEFT", "EXTREME_RIGHT", "WEAKER_LEG", "BALANCED" };
        int moved = 0;
        for (int step = 1; step <= 60; step++) {
            String sponsor = members.get(random.nextInt(members.size()));
            members.add(Network.join(admin, sponsor, "Bucket Member " + step,
                    "{\"mode\":\"" + modes[random.nextInt(modes.length)] + "\"}").getString("memberCode"));
            String buyer = members.get(random.nextInt(members.size()));
            BigDecimal pv = BigDecimal.valueOf(random.nextInt(1, 20_000), 2);
            record(period, buyer, pv, pv.divide(BigDecimal.valueOf(2)));
            if (random.nextInt(4) == 0) { // a refund of what was just recorded
                record(period, buyer, pv.negate(), pv.divide(BigDecimal.valueOf(2)).negate());
            }
            if (step % 10 == 0) {
                String member = members.get(1 + random.nextInt(members.size() - 1));
                String parent = members.get(random.nextInt(members.size()));
                int status = given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                        .body("{\"parent\":\"" + parent + "\",\"side\":\"" + (random.nextBoolean() ? "LEFT" : "RIGHT")
                                + "\",\"reason\":\"bucket test\"}")
                        .post("/api/v1/members/" + member + "/move").then().extract().statusCode();
                moved += status == 200 ? 1 : 0;
                assertTrue(Network.invariantViolations().isEmpty(), "step " + step + ": " + Network.invariantViolations());
            }
        }
        assertTrue(moved > 0, "no random move went through");
    }

    @Test
    @Order(2)
    void aBucketThatDriftsFromItsRowsIsNoticed() {
        // bucket 0 of the sponsor tree: [0, 2^shift), wholly inside the root's interval unless the shift is 62
        assertTrue(Integer.parseInt(Network.query("select shift from genealogy.tree_bucket_shift where tree = 1")) < 62);
        String drift = "insert into genealogy.tree_bucket_delta (tree, bucket, vol_period, d_members, d_pv, d_bv) values (1, 0, 0, ?, 0, 0) returning 1";
        Network.query(drift, 1);
        try {
            List<String> violations = Network.invariantViolations();
            assertTrue(violations.stream().anyMatch(v -> v.startsWith("bucket base + deltas differ from a recount")), violations.toString());
            assertTrue(violations.stream().anyMatch(v -> v.startsWith("downline_totals differs from a range scan")), violations.toString());
        } finally {
            // the opposite change, whether or not a fold took the first one in meanwhile
            Network.query(drift, -1);
        }
        assertEquals(List.of(), Network.invariantViolations());
    }

    @Test
    @Order(3)
    void afterTheVolumesAreEmptiedTheBucketsFollowAnEarlierOpenPeriod() throws SQLException {
        String member = members.get(members.size() - 1);
        YearMonth open = YearMonth.parse(Objects.requireNonNullElse(Network.query("select period from genealogy.volume_period"),
                YearMonth.now(ZoneOffset.UTC).toString()));
        try (Connection sql = TestDatabase.connect(); Statement st = sql.createStatement()) {
            st.execute("create temp table saved_volume as select * from genealogy.personal_volume");
            try {
                record(open.toString(), member, new BigDecimal("10.00"), new BigDecimal("5.00"));
                Network.query("select genealogy.tree_bucket_compact()");
                st.execute("truncate genealogy.personal_volume"); // maintenance: the open period starts again, earlier
                record(open.minusMonths(2).toString(), member, new BigDecimal("12.34"), new BigDecimal("6.17"));
                assertEquals(open.minusMonths(2).toString(), Network.query("select period from genealogy.volume_period"));
                assertEquals(List.of(), Network.invariantViolations());
            } finally {
                // the other tests' volumes back, as they were: the newest period among them is open again
                st.execute("truncate genealogy.personal_volume");
                st.execute("insert into genealogy.personal_volume select * from saved_volume");
            }
        }
        assertEquals(List.of(), Network.invariantViolations());
    }

    @Test
    @Order(4)
    void aRelabelThatMovesNoLabelStillRefitsBucketsSizedForAnotherCount() {
        relabelSponsorTree(); // the labels spread evenly; the next relabel finds every one in place
        int fitted = Integer.parseInt(Network.query("select shift from genealogy.tree_bucket_shift where tree = 1"));
        assertTrue(fitted < 62, "a sponsor tree of several members fits buckets narrower than the whole label space: " + fitted);
        String target = "update genealogy.tree_bucket_shift set bucket_members = ? where tree = 1 returning 1";
        Network.query(target, 64); // as if the tree had 64 times fewer members than when its buckets were sized
        try {
            relabelSponsorTree();
            assertEquals(Math.min(62, fitted + 6), Integer.parseInt(Network.query("select shift from genealogy.tree_bucket_shift where tree = 1")));
            assertEquals(List.of(), Network.invariantViolations());
        } finally {
            Network.query(target, 1);
            relabelSponsorTree();
        }
        assertEquals(fitted, Integer.parseInt(Network.query("select shift from genealogy.tree_bucket_shift where tree = 1")));
        assertEquals(List.of(), Network.invariantViolations());
    }

    private static void relabelSponsorTree() {
        given().header("Authorization", admin.bearer()).post("/api/v1/trees/SPONSOR/relabel").then().statusCode(200);
    }

    private void record(String period, String member, BigDecimal pv, BigDecimal bv) {
        long id = Long.parseLong(Network.query("select id from genealogy.distributor where member_code = ?", member));
        pool.withTransaction(conn -> volumes.record(conn, period, id, pv, bv, "test", "bucket test", "test")).await().indefinitely();
    }
}
