package io.downline.genealogy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.downline.support.EmptyNetwork;
import io.downline.support.Network;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** A unilevel plan on an empty network: placement follows the sponsor; the structure is then fixed. */
@QuarkusTest
@TestProfile(EmptyNetwork.ForUnilevel.class)
class UnilevelPlanTest {

    @Test
    void placementFollowsTheSponsorAndTheStructureIsThenFixed() {
        Accounts.Account admin = Accounts.create("admin");
        Plans.publish(admin, Plans.plan("UNILEVEL", "null", "null")).then().statusCode(201)
                .body("plan.structure", equalTo("UNILEVEL")).body("createdBy", equalTo(admin.username()));
        String root = Network.root(admin);
        List<String> recruits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            recruits.add(Network.join(admin, root, "Recruit " + i).getString("memberCode"));
        }
        String grandchild = Network.join(admin, recruits.get(1), "Grandchild").getString("memberCode");
        assertEquals(List.of(root + ":0", root + ":1", root + ":2"), recruits.stream().map(Plans::placement).toList());
        assertEquals(recruits.get(1) + ":0", Plans.placement(grandchild));
        Network.register(admin.bearer(), "{\"sponsor\":\"" + root + "\",\"fullName\":\"Chooser\",\"placement\":{\"mode\":\"EXTREME_LEFT\"}}")
                .then().statusCode(400).body("errors[0].field", equalTo("placement"));

        Plans.publish(admin, Plans.plan("BINARY", "null", "null")).then().statusCode(409);
        given().header("Authorization", admin.bearer()).get("/api/v1/plan").then().statusCode(200)
                .body("plan.structure", equalTo("UNILEVEL"));
        given().header("Authorization", admin.bearer()).get("/api/v1/plan/versions").then().statusCode(200)
                .body("items.version", equalTo(List.of(2, 1)));
        assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());
    }
}
