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

/** A forced matrix on an empty network: breadth-first spillover inside the sponsor's W x D matrix. */
@QuarkusTest
@TestProfile(EmptyNetwork.ForMatrix.class)
class MatrixPlanTest {

    @Test
    void recruitsSpillBreadthFirstInsideTheSponsorsMatrixUntilItIsFull() {
        Accounts.Account admin = Accounts.create("admin");
        Plans.publish(admin, Plans.plan("MATRIX", "null", "null")).then().statusCode(400).body("errors[0].field", equalTo("matrixWidth"));
        Plans.publish(admin, Plans.plan("MATRIX", "2", "2")).then().statusCode(201);
        String root = Network.root(admin);
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            members.add(Network.join(admin, root, "M" + i).getString("memberCode"));
        }
        assertEquals(List.of(root + ":0", root + ":1", members.get(0) + ":0", members.get(0) + ":1", members.get(1) + ":0",
                members.get(1) + ":1"), members.stream().map(Plans::placement).toList());
        // 2 + 4 positions below the root: the 2x2 matrix is full.
        Network.register(admin.bearer(), "{\"sponsor\":\"" + root + "\",\"fullName\":\"Seventh\"}").then().statusCode(409)
                .body("detail", equalTo("The sponsor's 2x2 matrix is full."));
        // The first level member's own matrix still has room; the recruit keeps their sponsor.
        var spill = Network.join(admin, members.get(0), "Spill");
        assertEquals(members.get(2) + ":0", Plans.placement(spill.getString("memberCode")));
        assertEquals(members.get(0), spill.getString("sponsor"));
        assertTrue(Network.invariantViolations().isEmpty(), Network.invariantViolations().toString());
    }
}
