package io.downline.genealogy;

import static io.restassured.RestAssured.given;

import io.downline.support.Accounts;
import io.downline.support.Network;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Publishing plans and reading placements, for the tests of each plan structure. */
final class Plans {

    private Plans() {
    }

    static Response publish(Accounts.Account admin, String planJson) {
        return given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"plan\":" + planJson + ",\"reason\":\"test\"}").post("/api/v1/plan/versions");
    }

    static String plan(String structure, String width, String depth) {
        return "{\"structure\":\"" + structure + "\",\"matrixWidth\":" + width + ",\"matrixDepth\":" + depth
                + ",\"defaultPlacement\":\"EXTREME_LEFT\",\"weakerLegMeasure\":\"MEMBER_COUNT\",\"sponsorMayChoosePlacement\":true,"
                + "\"holdingTankDays\":0,\"periodType\":\"MONTHLY\",\"memberCodePrefix\":\"DL\"}";
    }

    static String placement(String memberCode) {
        return Network.query("""
                select p.member_code || ':' || t.position from genealogy.tree_node t join genealogy.distributor d on d.id = t.node_id
                  join genealogy.distributor p on p.id = t.parent_id where t.tree = 2 and d.member_code = ?""", memberCode);
    }
}
