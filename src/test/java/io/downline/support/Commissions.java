package io.downline.support;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Compensation plans and commission lines, as the API shows them. */
public final class Commissions {

    private Commissions() {
    }

    public static Response upload(Accounts.Account admin, String contentType, String document, String effectiveFrom) {
        return given().header("Authorization", admin.bearer()).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(contentType).queryParam("effectiveFrom", effectiveFrom).queryParam("note", "test plan")
                .body(document.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/commission/plans");
    }

    /** The member's lines (staff view), newest first. */
    public static List<JsonPath> lines(Accounts.Account staff, String memberCode) {
        JsonPath page = given().header("Authorization", staff.bearer()).queryParam("limit", 200)
                .get("/api/v1/commission/members/" + memberCode + "/earnings").then().statusCode(200).extract().jsonPath();
        int size = page.getList("items").size();
        return java.util.stream.IntStream.range(0, size).mapToObj(i -> new JsonPath(page.prettify()).setRoot("items[" + i + "]")).toList();
    }

    /** Waits (up to ten seconds) until the member has at least {@code count} lines; answers them. */
    public static List<JsonPath> awaitLines(Accounts.Account staff, String memberCode, int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            List<JsonPath> lines = lines(staff, memberCode);
            if (lines.size() >= count || Instant.now().isAfter(deadline)) {
                return lines;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return lines;
            }
        }
    }
}
