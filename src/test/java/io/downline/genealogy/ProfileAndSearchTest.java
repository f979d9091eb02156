package io.downline.genealogy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.downline.support.Mailbox;
import io.downline.support.Network;
import io.downline.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

@QuarkusTest
class ProfileAndSearchTest {

    private Accounts.Account admin;
    private String root;

    @BeforeEach
    void network() {
        admin = Accounts.create("admin");
        root = Network.root(admin);
    }

    @Test
    void aDistributorSeesTheirReferralCodeSponsorAndPlacementParentButNothingPrivateOfThem() {
        JsonPath sponsor = Network.join(admin, root, "Asha Sponsor");
        JsonPath me = Network.join(admin, sponsor.getString("memberCode"), "Kavya Recruit");
        String sponsorEmail = Network.query("select email from genealogy.distributor where member_code = ?", sponsor.getString("memberCode"));
        String bearer = Network.activate(me);
        given().header("Authorization", bearer).get("/api/v1/members/me").then().statusCode(200)
                .body("memberCode", equalTo(me.getString("memberCode")))
                .body("referralCode", equalTo(me.getString("referralCode")))
                .body("name", equalTo("Kavya Recruit"))
                .body("sponsor.memberCode", equalTo(sponsor.getString("memberCode")))
                .body("sponsor.name", equalTo("Asha Sponsor"))
                .body("placementParent.memberCode", equalTo(me.getString("placement.parent")))
                .body("address", nullValue())
                .body(not(containsString(sponsorEmail)));
        // the sponsor is upline, not downline: the member record itself stays out of reach
        given().header("Authorization", bearer).get("/api/v1/members/" + sponsor.getString("memberCode")).then().statusCode(404);
    }

    @Test
    void aDistributorEditsTheirProfileAndTheAccountFollows() {
        JsonPath me = Network.join(admin, root, "Old Name");
        String username = me.getString("username");
        String bearer = Network.activate(me);
        String email = Mailbox.address("new-address");
        update(bearer, "{\"fullName\":\"  Meera Krishnan \",\"email\":\"" + email + "\",\"phone\":\"+919876543210\","
                + "\"address\":{\"line1\":\"12/345 MG Road\",\"city\":\"Kochi\",\"postalCode\":\"682016\",\"stateCode\":\"32\"}}")
                .then().statusCode(200)
                .body("name", equalTo("Meera Krishnan")).body("email", equalTo(email)).body("phone", equalTo("+919876543210"))
                .body("address.city", equalTo("Kochi")).body("address.stateCode", equalTo("32")).body("address.line2", nullValue());
        given().header("Authorization", bearer).get("/api/v1/me").then().statusCode(200)
                .body("displayName", equalTo("Meera Krishnan")).body("email", equalTo(email));
        given().header("Authorization", admin.bearer()).queryParam("q", "krish").get("/api/v1/members/" + root + "/search")
                .then().statusCode(200).body("items.memberCode", equalTo(List.of(me.getString("memberCode"))));
        // messages now go to the new address
        given().contentType(ContentType.JSON).header("X-Forwarded-For", "203.0.113.77").body("{\"login\":\"" + email + "\"}")
                .post("/api/v1/auth/password-reset").then().statusCode(202);
        assertEquals(email, Mailbox.recipient("PASSWORD_RESET", username));
        // absent optional fields are cleared
        update(bearer, "{\"fullName\":\"Meera Krishnan\",\"email\":\"" + email + "\"}").then().statusCode(200)
                .body("phone", nullValue()).body("address", nullValue());
    }

    @Test
    void badOrTakenDetailsChangeNothing() {
        JsonPath me = Network.join(admin, root, "Careful Editor");
        String bearer = Network.activate(me);
        String before = Network.query("select email from genealogy.distributor where member_code = ?", me.getString("memberCode"));
        String taken = Network.query("select email from genealogy.distributor where member_code = ?",
                Network.join(admin, root, "Someone Else").getString("memberCode"));

        update(bearer, "{\"fullName\":\"X\",\"email\":\"not-an-email\"}").then().statusCode(400).body("errors[0].field", equalTo("email"));
        update(bearer, "{\"fullName\":\"X\",\"email\":\"" + before + "\",\"phone\":\"12\"}").then().statusCode(400)
                .body("errors[0].field", equalTo("phone"));
        update(bearer, "{\"fullName\":\"X\",\"email\":\"" + before + "\",\"address\":{\"line1\":\"1 Main St\",\"postalCode\":\"682016\",\"stateCode\":\"32\"}}")
                .then().statusCode(400).body("errors[0].field", equalTo("address.city"));
        update(bearer, "{\"fullName\":\"\",\"email\":\"" + before + "\"}").then().statusCode(400).body("errors[0].field", equalTo("fullName"));
        update(bearer, "{\"fullName\":\"Taken Address\",\"email\":\"" + taken.toUpperCase() + "\"}").then().statusCode(409)
                .body("type", equalTo("urn:downline:problem:conflict"));

        assertEquals("Careful Editor", Network.query("select full_name from genealogy.distributor where member_code = ?", me.getString("memberCode")));
        assertEquals(before, Network.query("select email from identity.app_user where username = ?", me.getString("username")));
        update(admin.bearer(), "{\"fullName\":\"Staff\",\"email\":\"staff@example.com\"}").then().statusCode(403);
    }

    @Test
    void searchFindsAnyPartOfTheNameWithPrefixesFirst() {
        String sponsor = Network.join(admin, root, "Search Sponsor").getString("memberCode");
        String priya = Network.join(admin, sponsor, "Priya Ramachandran").getString("memberCode");
        String ramesh = Network.join(admin, sponsor, "Ramesh Kumar").getString("memberCode");
        String anand = Network.join(admin, sponsor, "Anand Rama").getString("memberCode");
        Network.join(admin, sponsor, "Vijay Nair");

        search(sponsor, "chand").then().statusCode(200).body("items.memberCode", equalTo(List.of(priya)));
        search(sponsor, "RAM").then().statusCode(200).body("items.memberCode", equalTo(List.of(ramesh, anand, priya)));
        search(sponsor, "r_m").then().statusCode(200).body("items.size()", equalTo(0));
        search(sponsor, anand.toLowerCase()).then().statusCode(200).body("items.memberCode", equalTo(List.of(anand)));
    }

    @Test
    void theTrigramIndexServesSearchesForAnyPartOfTheName() throws SQLException {
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute("set enable_seqscan = off");
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = statement.executeQuery("explain select id from genealogy.distributor where search_name like '%chandra%'")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            assertTrue(plan.toString().contains("distributor_search_name_trgm_idx"), plan.toString());
        }
    }

    private Response search(String under, String q) {
        return given().header("Authorization", admin.bearer()).queryParam("q", q)
                .get("/api/v1/members/" + under + "/search");
    }

    private static Response update(String bearer, String body) {
        return given().header("Authorization", bearer).contentType(ContentType.JSON).body(body).put("/api/v1/members/me/profile");
    }
}
