package io.downline.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.downline.support.Accounts.Account;
import io.downline.support.Network;
import io.downline.support.Shop;
import io.downline.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class AuditApiTest {

    @Test
    void staffActionsAreLoggedWithBeforeAfterAndCanBeQueriedPagedAndExported() {
        Account admin = Accounts.create("admin");
        String name = Accounts.uniqueName("audited");
        String userId = given().header("Authorization", admin.bearer()).header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                .header("X-Request-Id", "audit-test-create").contentType(ContentType.JSON)
                .body("{\"username\":\"" + name + "\",\"displayName\":\"Audited\",\"password\":\"a-long-password-1\",\"roles\":[\"support\"]}")
                .post("/api/v1/users").then().statusCode(201).extract().path("id");
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"status\":\"LOCKED\",\"reason\":\"=Suspicious logins\"}")
                .put("/api/v1/users/" + userId + "/status").then().statusCode(200);

        JsonPath events = given().header("Authorization", admin.bearer())
                .queryParam("subjectType", "user").queryParam("subjectId", userId)
                .get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
        assertEquals(2, events.getList("items").size());
        // newest first
        assertEquals("USER_STATUS_CHANGED", events.getString("items[0].action"));
        assertEquals(admin.username(), events.getString("items[0].actor"));
        assertEquals("ACTIVE", events.getString("items[0].before.status"));
        assertEquals("LOCKED", events.getString("items[0].after.status"));
        assertEquals("=Suspicious logins", events.getString("items[0].reason"));
        assertEquals("USER_CREATED", events.getString("items[1].action"));
        assertEquals("audit-test-create", events.getString("items[1].requestId"));
        assertEquals(null, events.getString("items[1].before"));
        assertEquals(name, events.getString("items[1].after.username"));
        assertTrue(events.getLong("items[0].position") > events.getLong("items[1].position"));

        // cursor pages: one event per page, no event twice
        JsonPath first = given().header("Authorization", admin.bearer()).queryParam("actor", admin.username()).queryParam("limit", 1)
                .get("/api/v1/audit/events").then().statusCode(200).body("items", hasSize(1)).body("next", notNullValue())
                .extract().jsonPath();
        given().header("Authorization", admin.bearer()).queryParam("actor", admin.username()).queryParam("limit", 1)
                .queryParam("cursor", first.getString("next"))
                .get("/api/v1/audit/events").then().statusCode(200)
                .body("items[0].action", equalTo("USER_CREATED")).body("next", nullValue());
        given().header("Authorization", admin.bearer()).queryParam("action", "USER_CREATED").queryParam("subjectId", userId)
                .queryParam("from", "2020-01-01T00:00:00Z").queryParam("to", "2999-01-01T00:00:00Z")
                .get("/api/v1/audit/events").then().statusCode(200).body("items.action", contains("USER_CREATED"));
        given().header("Authorization", admin.bearer()).queryParam("to", "2020-01-01T00:00:00Z").queryParam("subjectId", userId)
                .get("/api/v1/audit/events").then().statusCode(200).body("items", empty());
        given().header("Authorization", admin.bearer()).queryParam("from", "2026-02-01T00:00:00Z").queryParam("to", "2026-01-01T00:00:00Z")
                .get("/api/v1/audit/events").then().statusCode(400).body("errors[0].field", equalTo("to"));
        given().header("Authorization", admin.bearer()).queryParam("cursor", "not-ours")
                .get("/api/v1/audit/events").then().statusCode(400).body("type", equalTo("urn:downline:problem:invalid-cursor"));

        // the CSV carries the same events, with a reason that a spreadsheet would run as a formula defused
        String csv = given().header("Authorization", admin.bearer()).queryParam("subjectId", userId)
                .get("/api/v1/audit/events/csv").then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        String[] lines = csv.split("\r\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("position,occurredAt,actor,action,subjectType,subjectId,before,after,reason,requestId,hash"));
        assertTrue(lines[1].contains("USER_STATUS_CHANGED") && lines[1].contains(",'=Suspicious logins,"));
        assertTrue(lines[2].contains("USER_CREATED") && lines[2].contains("audit-test-create"));
    }

    @Test
    void catalogueChangesAreLoggedWithBeforeAndAfter() {
        Account admin = Accounts.create("admin");
        String sku = Shop.product(admin, "21069099", "100.00", "1.00", "1.00");
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body("{\"pv\":\"2.50\"}")
                .patch("/api/v1/products/" + sku).then().statusCode(200);
        JsonPath product = given().header("Authorization", admin.bearer()).queryParam("subjectType", "product").queryParam("subjectId", sku)
                .get("/api/v1/audit/events").then().statusCode(200)
                .body("items.action", contains("PRODUCT_CHANGED", "PRODUCT_CREATED"))
                .body("items[1].after.sku", equalTo(sku)).extract().jsonPath();
        assertEquals(0, new BigDecimal("1").compareTo(new BigDecimal(product.getString("items[0].before.pv"))));
        assertEquals(0, new BigDecimal("2.5").compareTo(new BigDecimal(product.getString("items[0].after.pv"))));
        String warehouse = Shop.warehouse(admin, "27", Shop.GSTIN_MAHARASHTRA);
        given().header("Authorization", admin.bearer()).queryParam("subjectType", "warehouse").queryParam("subjectId", warehouse)
                .get("/api/v1/audit/events").then().statusCode(200).body("items.action", contains("WAREHOUSE_CREATED"));
    }

    @Test
    void financeAndSupportReadOnlyTheirAreasAndDistributorsNothing() {
        Account admin = Accounts.create("admin");
        Account finance = Accounts.create("finance");
        Account support = Accounts.create("support");
        Account member = Accounts.create("distributor");
        String target = Accounts.create("support").id().toString();
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"status\":\"DISABLED\",\"reason\":\"Left\"}").put("/api/v1/users/" + target + "/status").then().statusCode(200);
        given().header("Authorization", admin.bearer()).queryParam("subjectId", target).get("/api/v1/audit/events").then().statusCode(200)
                .body("items", hasSize(1));
        given().header("Authorization", finance.bearer()).queryParam("subjectId", target).get("/api/v1/audit/events").then().statusCode(200)
                .body("items", empty());
        given().header("Authorization", support.bearer()).queryParam("subjectType", "user").get("/api/v1/audit/events").then().statusCode(200)
                .body("items", empty());
        given().header("Authorization", member.bearer()).get("/api/v1/audit/events").then().statusCode(403);
        given().header("Authorization", finance.bearer()).post("/api/v1/audit/verification").then().statusCode(403);
    }

    @Test
    void theChainVerifiesAndTamperingIsFoundAtItsPosition() throws SQLException {
        Account admin = Accounts.create("admin");
        String target = Accounts.create("support").id().toString();
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"status\":\"LOCKED\",\"reason\":\"Check\"}").put("/api/v1/users/" + target + "/status").then().statusCode(200);
        given().header("Authorization", admin.bearer()).post("/api/v1/audit/verification").then().statusCode(200)
                .body("valid", equalTo(true)).body("breaks", empty());
        String position = Network.query("select position from audit.event where subject_id = ?", target);
        String after = Network.query("select after::text from audit.event where position = ?", Long.parseLong(position));
        try (Connection connection = TestDatabase.connect(); Statement sql = connection.createStatement()) {
            // the log refuses changes, even from the superuser, while its triggers are on
            SQLException refused = assertThrows(SQLException.class,
                    () -> sql.executeUpdate("update audit.event set reason = 'x' where position = " + position));
            assertTrue(refused.getMessage().contains("append-only"));
            assertThrows(SQLException.class, () -> sql.executeUpdate("delete from audit.event where position = " + position));
            assertThrows(SQLException.class, () -> sql.execute("truncate audit.event"));

            // with the triggers switched off a row can be changed, but not without the chain noticing, at that position
            sql.execute("set session_replication_role = replica");
            sql.executeUpdate("update audit.event set after = jsonb_set(after, '{status}', '\"ACTIVE\"') where position = " + position);
            sql.execute("set session_replication_role = origin");
            given().header("Authorization", admin.bearer()).post("/api/v1/audit/verification").then().statusCode(200)
                    .body("valid", equalTo(false)).body("breaks", hasSize(1))
                    .body("breaks[0].position", equalTo(Integer.parseInt(position)))
                    .body("breaks[0].problem", equalTo("hash does not match the event's fields"));

            sql.execute("set session_replication_role = replica");
            sql.executeUpdate("update audit.event set after = '" + after + "' where position = " + position);
            sql.execute("set session_replication_role = origin");
            given().header("Authorization", admin.bearer()).post("/api/v1/audit/verification").then().statusCode(200)
                    .body("valid", equalTo(true)).body("headPosition", equalTo(Integer.parseInt(
                            Network.query("select max(position) from audit.event"))))
                    .body("events", equalTo(Integer.parseInt(Network.query("select count(*) from audit.event"))));
        }
        given().header("Authorization", admin.bearer()).queryParam("subjectId", target).get("/api/v1/audit/events").then().statusCode(200)
                .body("items[0].hash", matchesPattern("[0-9a-f]{64}"));
    }
}
