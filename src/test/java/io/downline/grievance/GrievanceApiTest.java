package io.downline.grievance;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.downline.common.Hashing;
import io.downline.support.Accounts;
import io.downline.support.Accounts.Account;
import io.downline.support.Network;
import io.downline.support.Shop;
import io.downline.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
class GrievanceApiTest {

    private static final String COMPLAINT = "{\"category\":\"COMMISSION_OR_WALLET\",\"subject\":\"October commission\",\"description\":\"Not credited.\"}";

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void deadlinesAreFixedAtFilingAndOverdueGrievancesAreListedUntilHandled() {
        Account admin = Accounts.create("admin");
        Account support = Accounts.create("support");
        Shop.Distributor member = Shop.distributor(admin);
        Shop.Distributor other = Shop.distributor(admin);

        JsonPath filed = given().header("Authorization", member.bearer()).contentType(ContentType.JSON).body(COMPLAINT)
                .post("/api/v1/grievances").then().statusCode(201).body("status", equalTo("OPEN"))
                .body("complainant", equalTo("DISTRIBUTOR")).body("overdue", empty()).body("steps.kind", contains("FILED"))
                .extract().jsonPath();
        String reference = filed.getString("reference");
        Instant filedAt = Instant.parse(filed.getString("filedAt"));
        assertEquals(filedAt.plus(Duration.ofHours(48)), Instant.parse(filed.getString("acknowledgeBy")));
        assertEquals(filedAt.atZone(ZoneId.of("Asia/Kolkata")).plusMonths(1).toInstant(), Instant.parse(filed.getString("resolveBy")));

        // only the complainant and staff see it
        given().header("Authorization", other.bearer()).get("/api/v1/grievances/" + reference).then().statusCode(404);
        given().header("Authorization", other.bearer()).get("/api/v1/grievances").then().statusCode(200)
                .body("items.reference", not(hasItem(reference)));
        given().header("Authorization", member.bearer()).get("/api/v1/grievances").then().statusCode(200)
                .body("items.reference", contains(reference));
        given().header("Authorization", member.bearer()).get("/api/v1/grievances/overdue").then().statusCode(403);

        // 47 hours on: not yet overdue; 49 hours on: acknowledgement overdue
        clock.advance(Duration.ofHours(47));
        overdue(support).body("items.reference", not(hasItem(reference)));
        clock.advance(Duration.ofHours(2));
        overdue(support).body("items.find { it.reference == '" + reference + "' }.overdue", contains("ACKNOWLEDGEMENT"));

        // acknowledged late: off the list, but the grievance keeps saying the deadline was missed
        step(support, reference, "ACKNOWLEDGE", "We are looking into it.").statusCode(200).body("status", equalTo("ACKNOWLEDGED"))
                .body("acknowledgedAt", notNullValue()).body("overdue", contains("ACKNOWLEDGEMENT"));
        overdue(support).body("items.reference", not(hasItem(reference)));
        step(support, reference, "ACKNOWLEDGE", "Again").statusCode(409);
        given().header("Authorization", member.bearer()).contentType(ContentType.JSON).body("{\"message\":\"Any news?\"}")
                .post("/api/v1/grievances/" + reference + "/replies").then().statusCode(200).body("status", equalTo("ACKNOWLEDGED"));

        // a month on, still unresolved: resolution overdue
        clock.advance(Duration.ofDays(31));
        overdue(support).body("items.find { it.reference == '" + reference + "' }.overdue", contains("ACKNOWLEDGEMENT", "RESOLUTION"));
        step(support, reference, "RESOLVE", "Credited on 2 December.").statusCode(200).body("status", equalTo("RESOLVED"))
                .body("outcome", equalTo("Credited on 2 December.")).body("closedAt", notNullValue())
                .body("steps.kind", contains("FILED", "ACKNOWLEDGED", "COMPLAINANT_REPLIED", "RESOLVED"));
        overdue(support).body("items.reference", not(hasItem(reference)));

        // closed is closed
        step(support, reference, "RESPOND", "More").statusCode(409);
        given().header("Authorization", member.bearer()).contentType(ContentType.JSON).body("{\"message\":\"Thanks\"}")
                .post("/api/v1/grievances/" + reference + "/replies").then().statusCode(409);
        step(support, reference, "CLOSE", "x").statusCode(400);
        given().header("Authorization", support.bearer()).queryParam("status", "RESOLVED").get("/api/v1/grievances").then().statusCode(200)
                .body("items.reference", hasItem(reference));

        // every step is in the audit log, readable by support
        given().header("Authorization", support.bearer()).queryParam("subjectType", "grievance").queryParam("subjectId", reference)
                .get("/api/v1/audit/events").then().statusCode(200)
                .body("items.action", contains("GRIEVANCE_RESOLVED", "GRIEVANCE_COMPLAINANT_REPLIED", "GRIEVANCE_ACKNOWLEDGED", "GRIEVANCE_FILED"))
                .body("items[0].before.status", equalTo("ACKNOWLEDGED")).body("items[0].after.status", equalTo("RESOLVED"))
                .body("items[0].actor", equalTo(support.username())).body("items[0].reason", equalTo("Credited on 2 December."));
    }

    @Test
    void aRejectionNeedsAReasonAndAResponseAcknowledges() {
        Account admin = Accounts.create("admin");
        Account support = Accounts.create("support");
        Shop.Distributor member = Shop.distributor(admin);
        String reference = given().header("Authorization", member.bearer()).contentType(ContentType.JSON).body(COMPLAINT)
                .post("/api/v1/grievances").then().statusCode(201).extract().path("reference");
        step(support, reference, "REJECT", " ").statusCode(400);
        step(support, reference, "RESPOND", "Which month?").statusCode(200).body("status", equalTo("ACKNOWLEDGED")).body("overdue", empty());
        step(support, reference, "REJECT", "Paid in full; see statement entry 42.").statusCode(200).body("status", equalTo("REJECTED"))
                .body("outcome", equalTo("Paid in full; see statement entry 42."));
        step(support, "GRV-9999999", "RESPOND", "x").statusCode(404);
        given().header("Authorization", member.bearer()).contentType(ContentType.JSON).body("{\"category\":\"NOPE\",\"subject\":\"\"}")
                .post("/api/v1/grievances").then().statusCode(400);
    }

    @Test
    void customersFileByPurchaseAndFollowUpWithTheirToken() {
        Account admin = Accounts.create("admin");
        Account finance = Accounts.create("finance");
        Account support = Accounts.create("support");
        Shop.rate(admin, "IN", "33049961", "2017-07-01", "18");
        String sku = Shop.product(admin, "33049961", "100.00", "1.00", "1.00");
        String warehouse = Shop.warehouse(admin, "29", Shop.GSTIN_KARNATAKA);
        Shop.receive(admin, warehouse, sku, 5).then().statusCode(201);
        Shop.Distributor buyer = Shop.distributor(admin);
        String order = Shop.checkout(buyer.bearer(), "[" + Shop.line(sku, 1) + "]", "29", null).then().statusCode(201).extract().path("id");
        String invoice = Shop.pay(finance, order, Shop.unique("pay-grv"), "118.00").then().statusCode(200).extract().path("invoice.number");
        String address = "198.51.100." + (System.nanoTime() % 200 + 1);

        customer(address).body(customerBody("NO-SUCH-INVOICE")).post("/api/v1/public/grievances").then().statusCode(400)
                .body("errors[0].field", equalTo("purchaseNumber"));
        customer(address).body(customerBody(invoice).replace("lakshmi@example.com", "not a contact")).post("/api/v1/public/grievances")
                .then().statusCode(400).body("errors[0].field", equalTo("contact"));
        JsonPath filed = customer(address).body(customerBody(invoice)).post("/api/v1/public/grievances").then().statusCode(201)
                .body("grievance.complainant", equalTo("CUSTOMER")).body("grievance.purchaseNumber", equalTo(invoice))
                .extract().jsonPath();
        String reference = filed.getString("grievance.reference");
        String token = filed.getString("followUpToken");
        // the order id names the purchase too
        customer(address).body(customerBody(order)).post("/api/v1/public/grievances").then().statusCode(201);

        customer(address).get("/api/v1/public/grievances/" + reference).then().statusCode(404);
        customer(address).header("X-Grievance-Token", token + "x").get("/api/v1/public/grievances/" + reference).then().statusCode(404);
        customer(address).header("X-Grievance-Token", token).get("/api/v1/public/grievances/" + reference).then().statusCode(200)
                .body("contact", equalTo("lakshmi@example.com")).body("status", equalTo("OPEN"));
        step(support, reference, "RESPOND", "Please send a photo.").statusCode(200);
        customer(address).header("X-Grievance-Token", token).body("{\"message\":\"Photo sent by email.\"}")
                .post("/api/v1/public/grievances/" + reference + "/replies").then().statusCode(200)
                .body("steps.kind", contains("FILED", "RESPONDED", "COMPLAINANT_REPLIED"))
                .body("steps[2].author", equalTo("customer"));
        // the database keeps only the token's hash; the audit log not the customer's contact
        given().header("Authorization", support.bearer()).queryParam("subjectId", reference).get("/api/v1/audit/events").then()
                .statusCode(200).body("items[0].action", equalTo("GRIEVANCE_COMPLAINANT_REPLIED"))
                .body("items", hasSize(3)).body("items.after", everyItem(not(hasKey("contact"))));
        assertEquals(Hashing.sha256Hex(token), Network.query("select token_hash from grievance.grievance where reference = ?", reference));

        // filings are throttled per address: five an hour
        for (int i = 0; i < 2; i++) {
            customer(address).body(customerBody(invoice)).post("/api/v1/public/grievances").then().statusCode(201);
        }
        customer(address).body(customerBody(invoice)).post("/api/v1/public/grievances").then().statusCode(429);
    }

    private static RequestSpecification customer(String address) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.JSON);
    }

    private static String customerBody(String purchase) {
        return "{\"purchaseNumber\":\"" + purchase + "\",\"contactName\":\"Lakshmi Menon\",\"contact\":\"lakshmi@example.com\","
                + "\"category\":\"PRODUCT\",\"subject\":\"Damaged bottle\",\"description\":\"It arrived cracked.\"}";
    }

    private static io.restassured.response.ValidatableResponse step(Account staff, String reference, String action, String message) {
        return given().header("Authorization", staff.bearer()).contentType(ContentType.JSON)
                .body("{\"action\":\"" + action + "\",\"message\":\"" + message + "\"}")
                .post("/api/v1/grievances/" + reference + "/steps").then();
    }

    private static io.restassured.response.ValidatableResponse overdue(Account support) {
        return given().header("Authorization", support.bearer()).queryParam("limit", 200).get("/api/v1/grievances/overdue").then().statusCode(200);
    }
}
