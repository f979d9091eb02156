package io.downline.genealogy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.downline.support.Mailbox;
import io.downline.support.Network;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Registration and every binary placement mode, on the default plan (binary, extreme-left). */
@QuarkusTest
class BinaryPlacementTest {

    static Accounts.Account admin;
    static String root;

    @BeforeEach
    void network() {
        if (admin == null) {
            admin = Accounts.create("admin");
            root = Network.root(admin);
        }
    }

    /** A fresh sponsor with an empty downline: each test works in its own subtree. */
    private static String sponsor() {
        return Network.join(admin, root, "Sponsor " + UUID.randomUUID()).getString("memberCode");
    }

    private static String placement(String memberCode) {
        return Network.query("""
                select p.member_code || ':' || t.position from genealogy.tree_node t join genealogy.distributor d on d.id = t.node_id
                  join genealogy.distributor p on p.id = t.parent_id where t.tree = 2 and d.member_code = ?""", memberCode);
    }

    @Test
    void aRegistrationCreatesTheAccountTheMemberAndBothEdges() {
        String sponsor = sponsor();
        JsonPath joined = Network.join(admin, sponsor, "Kavya Menon");
        assertTrue(joined.getString("memberCode").matches("DL\\d{8}"), joined.getString("memberCode"));
        assertEquals(sponsor, joined.getString("sponsor"));
        assertEquals(sponsor, joined.getString("placement.parent"));
        assertEquals("LEFT", joined.getString("placement.side"));
        String bearer = Network.activate(joined);
        given().header("Authorization", bearer).get("/api/v1/members/me").then().statusCode(200)
                .body("memberCode", equalTo(joined.getString("memberCode"))).body("referralCode", equalTo(joined.getString("referralCode")))
                .body("sponsor.memberCode", equalTo(sponsor)).body("placementParent.memberCode", equalTo(sponsor))
                .body("placementSide", equalTo("LEFT"));
        assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());
    }

    @Test
    void supportAndFinanceCannotChooseAPlacement() {
        String sponsor = sponsor();
        for (String role : new String[] { "support", "finance" }) {
            Accounts.Account staff = Accounts.create(role);
            Network.register(staff.bearer(), "{\"sponsor\":\"" + sponsor + "\",\"fullName\":\"Placed By " + role + "\","
                    + "\"placement\":{\"mode\":\"EXTREME_RIGHT\"}}")
                    .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("placement"));
        }
        assertEquals("0", Network.query("select count(*)::text from genealogy.distributor d join genealogy.distributor s on s.id = d.sponsor_id "
                + "where s.member_code = ?", sponsor));
    }

    @Test
    void placingTheRootMemberIsAConflictNotAFault() {
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body("{\"mode\":\"EXTREME_LEFT\"}")
                .post("/api/v1/members/" + root + "/placement")
                .then().statusCode(409).contentType("application/problem+json");
        String bearer = Network.activate(Network.join(admin, sponsor(), "Curious Distributor"));
        given().header("Authorization", bearer).contentType(ContentType.JSON).body("{\"mode\":\"EXTREME_LEFT\"}")
                .post("/api/v1/members/" + root + "/placement")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void anyoneMayJoinThroughAReferralCodeButNotChooseAPlacement() {
        JsonPath sponsor = Network.join(admin, root, "Referrer");
        Network.register(null, "{\"sponsor\":\"" + sponsor.getString("referralCode") + "\",\"fullName\":\"Walk In\",\"email\":\"" + Mailbox.address("walk-in") + "\"}")
                .then().statusCode(201).header("Location", matchesPattern(".*/api/v1/members/DL\\d{8}"))
                .body("sponsor", equalTo(sponsor.getString("memberCode")));
        Network.register(null, "{\"sponsor\":\"" + sponsor.getString("referralCode") + "\",\"fullName\":\"Chooser\","
                + "\"placement\":{\"mode\":\"EXTREME_RIGHT\"}}").then().statusCode(400).body("errors[0].field", equalTo("placement"));
        Network.register(null, "{\"sponsor\":\"NOPE1234\",\"fullName\":\"Lost\"}").then().statusCode(400)
                .body("errors[0].field", equalTo("sponsor"));
        Network.register(null, "{\"fullName\":\"No Sponsor\"}").then().statusCode(400).body("errors[0].field", equalTo("sponsor"));
    }

    @Test
    void extremeLeftAndRightFollowTheOuterLines() {
        String sponsor = sponsor();
        String a = Network.join(admin, sponsor, "A").getString("memberCode");
        String b = Network.join(admin, sponsor, "B").getString("memberCode");
        assertEquals(sponsor + ":0", placement(a));
        assertEquals(a + ":0", placement(b), "extreme-left goes to the bottom of the left line");
        String c = Network.join(admin, sponsor, "C", "{\"mode\":\"EXTREME_RIGHT\"}").getString("memberCode");
        String d = Network.join(admin, sponsor, "D", "{\"mode\":\"EXTREME_RIGHT\"}").getString("memberCode");
        assertEquals(sponsor + ":1", placement(c));
        assertEquals(c + ":1", placement(d));
        String e = Network.join(admin, sponsor, "E", "{\"mode\":\"EXTREME_LEFT\"}").getString("memberCode");
        assertEquals(b + ":0", placement(e));
    }

    @Test
    void explicitPlacementStaysInsideTheSponsorsDownline() {
        String sponsor = sponsor();
        String a = Network.join(admin, sponsor, "A").getString("memberCode");
        String b = Network.join(admin, sponsor, "B", "{\"mode\":\"EXPLICIT\",\"parent\":\"" + a + "\",\"side\":\"RIGHT\"}").getString("memberCode");
        assertEquals(a + ":1", placement(b));
        Network.register(admin.bearer(), "{\"sponsor\":\"" + sponsor + "\",\"fullName\":\"X\",\"placement\":{\"mode\":\"EXPLICIT\",\"parent\":\""
                + a + "\",\"side\":\"RIGHT\"}}").then().statusCode(409).body("type", equalTo("urn:downline:problem:conflict"));
        Network.register(admin.bearer(), "{\"sponsor\":\"" + sponsor + "\",\"fullName\":\"Y\",\"placement\":{\"mode\":\"EXPLICIT\",\"parent\":\""
                + root + "\",\"side\":\"LEFT\"}}").then().statusCode(400).body("errors[0].field", equalTo("placement.parent"));
        assertTrue(Network.invariantViolations().isEmpty());
    }

    @Test
    void balancedFillsBreadthFirstLeftToRight() {
        String sponsor = sponsor();
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            placed.add(Network.join(admin, sponsor, "N" + i, "{\"mode\":\"BALANCED\"}").getString("memberCode"));
        }
        assertEquals(List.of(sponsor + ":0", sponsor + ":1", placed.get(0) + ":0", placed.get(0) + ":1", placed.get(1) + ":0",
                placed.get(1) + ":1"), placed.stream().map(BinaryPlacementTest::placement).toList());
    }

    @Test
    void weakerLegGoesToTheLegWithFewerMembers() {
        String sponsor = sponsor();
        Network.join(admin, sponsor, "L1");
        Network.join(admin, sponsor, "L2");
        String right = Network.join(admin, sponsor, "R1", "{\"mode\":\"WEAKER_LEG\"}").getString("memberCode");
        assertEquals(sponsor + ":1", placement(right), "an empty leg is the weaker one");
        String next = Network.join(admin, sponsor, "R2", "{\"mode\":\"WEAKER_LEG\"}").getString("memberCode");
        assertEquals(right + ":1", placement(next), "1 member on the right against 2 on the left: right, extreme-right");
    }

    @Test
    void concurrentRegistrationsUnderOneSponsorLandInDistinctSlots() {
        JsonPath sponsor = Network.join(admin, root, "Hot Sponsor");
        List<CompletableFuture<Response>> calls = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(32);
        for (int i = 0; i < 200; i++) {
            int n = i;
            // Two hundred people on their phones, each from their own address, through the sponsor's referral link.
            calls.add(CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                    .header("X-Forwarded-For", "198.18." + (n / 250) + "." + (n % 250 + 1))
                    .body("{\"sponsor\":\"" + sponsor.getString("referralCode") + "\",\"fullName\":\"Rush " + n + "\",\"email\":\"rush-" + n + "-" + sponsor.getString("memberCode") + "@example.com\"}")
                    .post("/api/v1/registrations"), clients));
        }
        Set<String> members = new HashSet<>();
        for (CompletableFuture<Response> call : calls) {
            Response response = call.join();
            assertEquals(201, response.statusCode(), response.asString());
            members.add(response.jsonPath().getString("memberCode"));
        }
        clients.shutdown();
        assertEquals(200, members.size());
        // Extreme-left spillover: one line 200 deep below the sponsor, every slot distinct.
        assertEquals("200", Network.query("""
                select max(t.depth) - min(s.depth) from genealogy.tree_node t, genealogy.tree_node s join genealogy.distributor d on d.id = s.node_id
                 where s.tree = 2 and t.tree = 2 and d.member_code = ? and t.lo between s.lo and s.hi""", sponsor.getString("memberCode")));
        assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());
    }

    @Test
    void aRepeatedRegistrationWithTheSameKeyCreatesOneMember() {
        String sponsor = sponsor();
        String key = UUID.randomUUID().toString();
        String body = "{\"sponsor\":\"" + sponsor + "\",\"fullName\":\"Once Only\",\"email\":\"" + Mailbox.address("once") + "\"}";
        Response first = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/api/v1/registrations");
        Response again = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/api/v1/registrations");
        first.then().statusCode(201);
        again.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertEquals(first.jsonPath().getString("memberCode"), again.jsonPath().getString("memberCode"));
        assertEquals("1", Network.query("select count(*) from genealogy.distributor where full_name = 'Once Only' and sponsor_id = "
                + "(select id from genealogy.distributor where member_code = ?)", sponsor));
    }

    @Test
    void activationWorksOnceWithTheRightCode() {
        JsonPath joined = Network.join(admin, sponsor(), "Activator");
        given().contentType(ContentType.JSON).body("{\"username\":\"" + joined.getString("username")
                + "\",\"activationCode\":\"WRONGCODE1\",\"password\":\"" + Accounts.PASSWORD + "\"}")
                .post("/api/v1/auth/activate").then().statusCode(401);
        String code = Mailbox.activationCode(joined.getString("username"));
        Network.activate(joined);
        given().contentType(ContentType.JSON).body("{\"username\":\"" + joined.getString("username") + "\",\"activationCode\":\""
                + code + "\",\"password\":\"" + Accounts.PASSWORD + "\"}")
                .post("/api/v1/auth/activate").then().statusCode(401);
        Accounts.login(joined.getString("username"), Accounts.PASSWORD);
    }

    @Test
    void aDistributorSeesOnlyTheirOwnDownline() {
        String sponsor = sponsor();
        JsonPath me = Network.join(admin, sponsor, "Me");
        JsonPath mine = Network.join(admin, me.getString("memberCode"), "Mine");
        JsonPath sibling = Network.join(admin, sponsor, "Sibling");
        String bearer = Network.activate(me);
        given().header("Authorization", bearer).get("/api/v1/members/" + mine.getString("memberCode")).then().statusCode(200);
        given().header("Authorization", bearer).get("/api/v1/members/" + sibling.getString("memberCode"))
                .then().statusCode(404).body("detail", equalTo("No such member in your downline."));
        given().header("Authorization", bearer).get("/api/v1/members/DL99999990")
                .then().statusCode(404).body("detail", equalTo("No such member in your downline."));
        given().header("Authorization", bearer).get("/api/v1/members/" + sponsor + "/summary").then().statusCode(404);
        given().header("Authorization", bearer).get("/api/v1/members/" + me.getString("memberCode") + "/upline?tree=SPONSOR")
                .then().statusCode(200).body("items.size()", equalTo(1)).body("next", nullValue());
        given().header("Authorization", bearer).get("/api/v1/members/" + mine.getString("memberCode") + "/upline?tree=SPONSOR")
                .then().statusCode(200).body("items.memberCode", equalTo(List.of(mine.getString("memberCode"), me.getString("memberCode"))));
        // A recruit of their own: allowed; a recruit for someone else: refused.
        Network.register(bearer, "{\"fullName\":\"My Recruit\",\"email\":\"" + Mailbox.address("recruit") + "\"}").then().statusCode(201).body("sponsor", equalTo(me.getString("memberCode")));
        Network.register(bearer, "{\"sponsor\":\"" + sponsor + "\",\"fullName\":\"Not Mine\",\"email\":\"" + Mailbox.address("not-mine") + "\"}").then().statusCode(403);
    }

    @Test
    void summaryCountsLevelsLegsAndVolume() {
        String sponsor = sponsor();
        String l = Network.join(admin, sponsor, "Left").getString("memberCode");
        String r = Network.join(admin, sponsor, "Right", "{\"mode\":\"EXTREME_RIGHT\"}").getString("memberCode");
        String ll = Network.join(admin, sponsor, "Left Left").getString("memberCode");
        String period = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
        volume(l, period, "100.00", "80.00");
        volume(ll, period, "50.00", "40.00");
        volume(r, period, "30.00", "20.00");
        volume(sponsor, period, "999.00", "999.00");
        given().header("Authorization", admin.bearer()).get("/api/v1/members/" + sponsor + "/summary?levels=1")
                .then().statusCode(200)
                .body("teamSize", equalTo(3))
                .body("groupPv", equalTo(180.0f))
                .body("levels[0].members", equalTo(2))
                .body("levels[0].pv", equalTo(130.0f))
                .body("deeper.members", equalTo(1))
                .body("legs[0].side", equalTo("LEFT")).body("legs[0].members", equalTo(2)).body("legs[0].pv", equalTo(150.0f))
                .body("legs[1].root", equalTo(r)).body("legs[1].members", equalTo(1)).body("legs[1].bv", equalTo(20.0f));
        given().header("Authorization", admin.bearer()).queryParam("levels", 2).queryParam("limit", 2)
                .get("/api/v1/members/" + sponsor + "/tree").then().statusCode(200)
                .body("items.memberCode", equalTo(List.of(sponsor, l))).body("items[0].teamSize", equalTo(3)).body("next", notNullValue());
        given().header("Authorization", admin.bearer()).queryParam("q", "left")
                .get("/api/v1/members/" + sponsor + "/search").then().statusCode(200).body("items.size()", equalTo(2));
        given().header("Authorization", admin.bearer()).get("/api/v1/members/" + sponsor + "/recruits").then().statusCode(200)
                .body("items.size()", equalTo(3));
    }

    @Test
    void treePagesFollowEachOtherAndAForgedCursorRevealsNothing() {
        String sponsor = sponsor();
        List<String> members = new ArrayList<>(List.of(sponsor));
        for (int i = 0; i < 5; i++) {
            members.add(Network.join(admin, sponsor, "Page " + i, "{\"mode\":\"BALANCED\"}").getString("memberCode"));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().header("Authorization", admin.bearer()).queryParam("levels", 3).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/members/" + sponsor + "/tree").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.memberCode"));
            cursor = page.getString("next");
        } while (cursor != null);
        assertEquals(new HashSet<>(members), new HashSet<>(seen));
        assertEquals(members.size(), seen.size(), "nobody twice: " + seen);
        // A cursor naming a node outside this downline serves nothing, never the nodes before the root.
        String outsider = Network.query("select id from genealogy.distributor where member_code = ?", root);
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(("[\"" + outsider + "\"]").getBytes());
        given().header("Authorization", admin.bearer()).queryParam("cursor", forged).get("/api/v1/members/" + sponsor + "/tree")
                .then().statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void everyReadIsLimitedToTheCallersDownline() {
        String sponsor = sponsor();
        JsonPath me = Network.join(admin, sponsor, "Reader");
        JsonPath stranger = Network.join(admin, sponsor, "Stranger", "{\"mode\":\"EXTREME_RIGHT\"}");
        String bearer = Network.activate(me);
        String other = stranger.getString("memberCode");
        for (String path : List.of("", "/tree", "/summary", "/upline", "/recruits", "/volume", "/search?q=str")) {
            given().header("Authorization", bearer).get("/api/v1/members/" + other + path).then().statusCode(404)
                    .body("detail", equalTo("No such member in your downline."));
        }
        given().header("Authorization", bearer).get("/api/v1/members/" + sponsor + "/search?q=stranger").then().statusCode(404);
        given().header("Authorization", bearer).get("/api/v1/members/" + me.getString("memberCode") + "/search?q=stranger")
                .then().statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void anAdminMovesAMemberWithTheirWholeDownline() {
        String sponsor = sponsor();
        String a = Network.join(admin, sponsor, "Mover A").getString("memberCode");
        String b = Network.join(admin, sponsor, "Mover B").getString("memberCode");
        String d = Network.join(admin, sponsor, "Mover D").getString("memberCode");
        String c = Network.join(admin, sponsor, "Target C", "{\"mode\":\"EXTREME_RIGHT\"}").getString("memberCode");
        assertEquals(a + ":0", placement(b));

        move(a, c, "RIGHT").then().statusCode(200).body("parent", equalTo(c)).body("side", equalTo("RIGHT"));
        assertEquals(c + ":1", placement(a));
        assertEquals(a + ":0", placement(b), "the downline moves along");
        assertEquals(b + ":0", placement(d));
        assertEquals("3", Network.query("""
                select t.depth - s.depth from genealogy.tree_node t, genealogy.tree_node s join genealogy.distributor x on x.id = s.node_id
                 where t.tree = 2 and s.tree = 2 and x.member_code = ? and t.node_id = (select id from genealogy.distributor where member_code = ?)""",
                c, d), "depths follow the move");
        given().header("Authorization", admin.bearer()).get("/api/v1/members/" + c + "/summary").then().statusCode(200)
                .body("teamSize", equalTo(3)).body("legs[1].members", equalTo(3));
        given().header("Authorization", admin.bearer()).queryParam("subjectType", "distributor").queryParam("subjectId", a)
                .get("/api/v1/audit/events").then().statusCode(200).body("items[0].action", equalTo("MEMBER_MOVED"))
                .body("items[0].before.parent", equalTo(sponsor)).body("items[0].after.parent", equalTo(c))
                .body("items[0].after.position", equalTo(1)).body("items[0].reason", equalTo("correction in a test"));
        assertEquals("1", Network.query("select count(*) from genealogy.genealogy_audit where action = 'moved' and node_id = "
                + "(select id from genealogy.distributor where member_code = ?)", a));
        assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());

        // Into its own downline: refused; onto a taken position: conflict; the position it left is free again.
        move(c, d, "LEFT").then().statusCode(400).body("errors[0].field", equalTo("parent"));
        move(b, c, "RIGHT").then().statusCode(409);
        String e = Network.join(admin, sponsor, "Fills The Gap", "{\"mode\":\"EXPLICIT\",\"parent\":\"" + sponsor + "\",\"side\":\"LEFT\"}")
                .getString("memberCode");
        assertEquals(sponsor + ":0", placement(e));
        given().header("Authorization", Network.activate(Network.join(admin, sponsor, "Not Admin"))).contentType(ContentType.JSON)
                .body("{\"parent\":\"" + c + "\",\"side\":\"LEFT\",\"reason\":\"x\"}").post("/api/v1/members/" + e + "/move")
                .then().statusCode(403);
        assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());
    }

    private static Response move(String member, String parent, String side) {
        return given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"parent\":\"" + parent + "\",\"side\":\"" + side + "\",\"reason\":\"correction in a test\"}")
                .post("/api/v1/members/" + member + "/move");
    }

    private static void volume(String member, String period, String pv, String bv) {
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"memberCode\":\"" + member + "\",\"period\":\"" + period + "\",\"pv\":" + pv + ",\"bv\":" + bv + ",\"reason\":\"test\"}")
                .post("/api/v1/volumes").then().statusCode(201);
    }
}
