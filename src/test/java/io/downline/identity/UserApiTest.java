package io.downline.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
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

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

@QuarkusTest
class UserApiTest {

    static Accounts.Account admin;

    @BeforeEach
    void admin() {
        if (admin == null) {
            admin = Accounts.create("admin");
        }
    }

    @Test
    void adminCreatesAStaffAccountThatCanLogIn() {
        String username = Accounts.uniqueName("staff");
        String location = create(newUser(username, "finance,support"), null)
                .then().statusCode(201)
                .body("username", equalTo(username))
                .body("roles", equalTo(List.of("finance", "support")))
                .body("status", equalTo("ACTIVE"))
                .body("password", nullValue())
                .body("passwordHash", nullValue())
                .extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        given().header("Authorization", admin.bearer()).get(location).then().statusCode(200).body("id", equalTo(id));
        Accounts.login(username, "staff-passphrase-1");
    }

    @Test
    void aRepeatedIdempotencyKeyReplaysTheFirstResponse() {
        String key = UUID.randomUUID().toString();
        String body = newUser(Accounts.uniqueName("idem"), "support");
        Response first = create(body, key);
        first.then().statusCode(201);
        Response second = create(body, key);
        second.then().statusCode(201).header("Idempotent-Replayed", "true").header("Location", first.header("Location"));
        assertEquals(first.jsonPath().getString("id"), second.jsonPath().getString("id"));
        assertEquals(first.jsonPath().getMap("$"), second.jsonPath().getMap("$"));
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefused() {
        String key = UUID.randomUUID().toString();
        create(newUser(Accounts.uniqueName("first"), "support"), key).then().statusCode(201);
        create(newUser(Accounts.uniqueName("other"), "support"), key).then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:downline:problem:idempotency-key-reused"));
    }

    @Test
    void concurrentRepeatsOfOneKeyCreateOneAccount() {
        String key = UUID.randomUUID().toString();
        String username = Accounts.uniqueName("race");
        String body = newUser(username, "support");
        List<CompletableFuture<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> create(body, key)));
        }
        Set<String> ids = new HashSet<>();
        for (CompletableFuture<Response> call : calls) {
            Response response = call.join();
            assertTrue(response.statusCode() == 201 || response.statusCode() == 409, "status " + response.statusCode());
            if (response.statusCode() == 201) {
                ids.add(response.jsonPath().getString("id"));
            } else {
                assertEquals("urn:downline:problem:idempotency-in-progress", response.jsonPath().getString("type"));
                assertEquals("1", response.header("Retry-After"));
            }
        }
        assertEquals(1, ids.size(), "one account, however many replays");
        assertEquals(201, create(body, key).statusCode());
    }

    @Test
    void concurrentCreatesOfOneUsernameWithoutKeysGiveOneAccountAndConflicts() {
        String body = newUser(Accounts.uniqueName("twin"), "support");
        List<CompletableFuture<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> create(body, null)));
        }
        List<Integer> statuses = calls.stream().map(CompletableFuture::join).map(Response::statusCode).sorted().toList();
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "statuses " + statuses);
        assertTrue(statuses.stream().allMatch(s -> s == 201 || s == 409), "statuses " + statuses);
    }

    @Test
    void keysAreKeptPerCaller() {
        Accounts.Account otherAdmin = Accounts.create("admin");
        String key = UUID.randomUUID().toString();
        create(newUser(Accounts.uniqueName("mine"), "support"), key).then().statusCode(201);
        given().header("Authorization", otherAdmin.bearer()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(newUser(Accounts.uniqueName("theirs"), "support")).post("/api/v1/users")
                .then().statusCode(201).header("Idempotent-Replayed", nullValue());
    }

    @Test
    void aMalformedIdempotencyKeyIsAValidationProblem() {
        create(newUser(Accounts.uniqueName("badkey"), "support"), "has spaces in it")
                .then().statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
    }

    @Test
    void aDuplicateUsernameIsAConflictAndChangesNothing() {
        String username = Accounts.uniqueName("dupe");
        create(newUser(username, "support"), null).then().statusCode(201);
        create(newUser(username, "finance"), null).then().statusCode(409).body("type", equalTo("urn:downline:problem:conflict"));
        given().header("Authorization", admin.bearer()).queryParam("role", "finance").queryParam("limit", 200)
                .get("/api/v1/users").then().statusCode(200)
                .body("items.findAll { it.username == '" + username + "' }", hasSize(0));
    }

    @Test
    void listsPageWithCursorsWithoutGapsOrRepeats() {
        String prefix = "page-" + Long.toString(System.nanoTime(), 36);
        for (int i = 0; i < 5; i++) {
            Accounts.insert(prefix + "-" + i, "finance");
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().header("Authorization", admin.bearer()).queryParam("limit", 2).queryParam("role", "finance");
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/users").then().statusCode(200)
                    .body("items.size()", lessThanOrEqualTo(2)).extract().jsonPath();
            seen.addAll(page.getList("items.username"));
            cursor = page.getString("next");
            pages++;
        } while (cursor != null && pages < 100);
        List<String> mine = seen.stream().filter(name -> name.startsWith(prefix)).toList();
        assertEquals(List.of(prefix + "-0", prefix + "-1", prefix + "-2", prefix + "-3", prefix + "-4"), mine);
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no user served twice");
        assertEquals(seen.stream().sorted().toList(), seen, "ordered by username");
    }

    @Test
    void pagingParametersAreValidated() {
        given().header("Authorization", admin.bearer()).queryParam("limit", 201).get("/api/v1/users")
                .then().statusCode(400).body("errors[0].field", equalTo("limit"));
        given().header("Authorization", admin.bearer()).queryParam("limit", 0).get("/api/v1/users").then().statusCode(400);
        given().header("Authorization", admin.bearer()).queryParam("cursor", "not-a-cursor!").get("/api/v1/users")
                .then().statusCode(400).body("type", equalTo("urn:downline:problem:invalid-cursor"));
        given().header("Authorization", admin.bearer()).queryParam("status", "SLEEPING").get("/api/v1/users")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void rolesDecideWhoMayDoWhat() {
        Accounts.Account distributor = Accounts.create("distributor");
        Accounts.Account support = Accounts.create("support");
        given().header("Authorization", distributor.bearer()).get("/api/v1/users")
                .then().statusCode(403).contentType("application/problem+json").body("type", equalTo("urn:downline:problem:forbidden"));
        given().header("Authorization", support.bearer()).get("/api/v1/users").then().statusCode(200);
        given().header("Authorization", support.bearer()).contentType(ContentType.JSON).body(newUser(Accounts.uniqueName("x"), "admin"))
                .post("/api/v1/users").then().statusCode(403);
        given().header("Authorization", support.bearer()).get("/api/v1/users/" + distributor.id()).then().statusCode(200);
    }

    @Test
    void unknownUsersAre404() {
        given().header("Authorization", admin.bearer()).get("/api/v1/users/" + UUID.randomUUID())
                .then().statusCode(404).body("type", equalTo("urn:downline:problem:not-found"));
    }

    @Test
    void statusChangesAreValidated() {
        Accounts.Account target = Accounts.create("distributor");
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body("{\"status\":\"ASLEEP\",\"reason\":\"x\"}")
                .put("/api/v1/users/" + target.id() + "/status")
                .then().statusCode(400).body("errors[0].field", equalTo("status")).body("errors[0].message", notNullValue());
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body("{\"status\":\"LOCKED\"}")
                .put("/api/v1/users/" + target.id() + "/status")
                .then().statusCode(400).body("errors[0].field", equalTo("reason"));
        given().header("Authorization", target.bearer()).get("/api/v1/me").then().statusCode(200);
    }

    private static Response create(String body, String key) {
        var request = given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/api/v1/users");
    }

    private static String newUser(String username, String roles) {
        String roleList = String.join("\",\"", roles.split(","));
        return "{\"username\":\"" + username + "\",\"displayName\":\"Staff " + username + "\",\"password\":\"staff-passphrase-1\","
                + "\"roles\":[\"" + roleList + "\"]}";
    }
}
