package io.downline.genealogy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.downline.support.EmptyNetwork;
import io.downline.support.Mailbox;
import io.downline.support.Network;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.downline.genealogy.app.HoldingTank;

/** A plan with a 7-day holding tank: recruits wait unplaced, their sponsor places them, or the plan does when time is up. */
@QuarkusTest
@TestProfile(EmptyNetwork.ForHoldingTank.class)
class HoldingTankTest {

    @Inject
    HoldingTank holdingTank;

    @Test
    void recruitsWaitThenArePlacedByTheSponsorOrWhenTheirTimeIsUp() {
        Accounts.Account admin = Accounts.create("admin");
        Plans.publish(admin, Plans.plan("BINARY", "null", "null").replace("\"holdingTankDays\":0", "\"holdingTankDays\":7"))
                .then().statusCode(201);
        JsonPath root = Network.register(admin.bearer(), "{\"fullName\":\"Company Root\",\"email\":\"" + Mailbox.address("Company Root") + "\"}").then().statusCode(201)
                .body("placement.depth", equalTo(0)).extract().jsonPath();
        String rootBearer = Network.activate(root);

        JsonPath waiting = Network.register(rootBearer, "{\"fullName\":\"Waiting One\",\"email\":\"" + Mailbox.address("Waiting One") + "\"}").then().statusCode(201)
                .body("placement", nullValue()).body("placementDue", notNullValue()).extract().jsonPath();
        String code = waiting.getString("memberCode");
        assertNull(Plans.placement(code), "not in the placement tree while waiting");
        // volume recorded while waiting comes along into the placement tree (the newest period: the one on the tree rows)
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"memberCode\":\"" + code + "\",\"period\":\"9999-12\",\"pv\":12.00,\"bv\":10.00,\"reason\":\"test\"}")
                .post("/api/v1/volumes").then().statusCode(201);

        JsonPath other = Network.register(rootBearer, "{\"fullName\":\"Someone Else\",\"email\":\"" + Mailbox.address("Someone Else") + "\"}").then().statusCode(201).extract().jsonPath();
        String otherBearer = Network.activate(other);
        given().header("Authorization", otherBearer).contentType(ContentType.JSON).body("{\"mode\":\"EXTREME_RIGHT\"}")
                .post("/api/v1/members/" + code + "/placement").then().statusCode(404);

        given().header("Authorization", rootBearer).contentType(ContentType.JSON).body("{\"mode\":\"EXTREME_RIGHT\"}")
                .post("/api/v1/members/" + code + "/placement").then().statusCode(200)
                .body("parent", equalTo(root.getString("memberCode"))).body("side", equalTo("RIGHT"));
        given().header("Authorization", admin.bearer()).get("/api/v1/members/" + root.getString("memberCode") + "/summary?period=9999-12")
                .then().statusCode(200).body("teamSize", equalTo(1)).body("groupPv", equalTo(12.0f)).body("legs[1].bv", equalTo(10.0f));
        given().header("Authorization", rootBearer).contentType(ContentType.JSON).body("{\"mode\":\"EXTREME_RIGHT\"}")
                .post("/api/v1/members/" + code + "/placement").then().statusCode(409);

        // An admin placing someone else's recruit is a staff action in the company's audit log; the sponsor's own choice is not.
        String third = Network.register(rootBearer, "{\"fullName\":\"Third Waiting\",\"email\":\"" + Mailbox.address("Third Waiting") + "\"}")
                .then().statusCode(201).extract().path("memberCode");
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body("{\"mode\":\"EXTREME_RIGHT\"}")
                .post("/api/v1/members/" + third + "/placement").then().statusCode(200).body("parent", equalTo(code));
        given().header("Authorization", admin.bearer()).queryParam("action", "MEMBER_PLACED_FROM_HOLDING_TANK").queryParam("subjectId", third)
                .get("/api/v1/audit/events").then().statusCode(200).body("items", hasSize(1))
                .body("items[0].actor", equalTo(admin.username())).body("items[0].after.parent", equalTo(code));
        given().header("Authorization", admin.bearer()).queryParam("action", "MEMBER_PLACED_FROM_HOLDING_TANK").queryParam("subjectId", code)
                .get("/api/v1/audit/events").then().statusCode(200).body("items", hasSize(0));

        // The other recruit's week is over: the plan's default (extreme-left) places them.
        Network.query("update genealogy.distributor set placement_due = now() - interval '1 minute' where member_code = ? returning 1",
                other.getString("memberCode"));
        holdingTank.placeDue().await().indefinitely();
        assertEquals(root.getString("memberCode") + ":0", Plans.placement(other.getString("memberCode")));
        assertEquals("0", Network.query("select count(*) from genealogy.distributor where placement_due is not null"));
        assertEquals("3", Network.query("select count(*) from genealogy.genealogy_audit where action = 'placed-from-holding-tank'"));
        assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());
    }
}
