package io.downline.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.downline.support.ContractConformance;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** The check every test's API answers go through: it is in place, and it tells a conforming answer from others. */
@QuarkusTest
class ContractConformanceTest {

    private static final String USER = """
            {"id": "7d4f3b0e-2a51-4c86-9f0a-5b9e2f1c3d40", "username": "asha.rao", "displayName": "Asha Rao", "roles": ["admin"],
             "status": "ACTIVE", "createdAt": "2026-11-21T09:30:00Z", "updatedAt": "2026-11-21T09:30:00Z"%s}""";

    @Test
    void checksEveryAnswerOfTheSuite() {
        assertTrue(RestAssured.filters().stream().anyMatch(ContractConformance.class::isInstance), "ContractConformance is not registered");
    }

    @Test
    void acceptsAnAnswerAsTheContractDescribesIt() {
        assertEquals(List.of(), violations("GET", "/api/v1/me", 200, USER.formatted("")));
        assertEquals(List.of(), violations("GET", "/api/v1/users/7d4f3b0e-2a51-4c86-9f0a-5b9e2f1c3d40", 200,
                USER.formatted(", \"email\": \"asha@example.com\"")));
    }

    @Test
    void namesEachWayAnAnswerLeavesTheContract() {
        assertEquals(List.of("status 201 is not declared"), violations("GET", "/api/v1/me", 201, USER.formatted("")));
        assertEquals(List.of("$.displayName is required but absent"),
                violations("GET", "/api/v1/me", 200, USER.formatted("").replace("\"displayName\": \"Asha Rao\", ", "")));
        assertEquals(List.of("$.status = \"GONE\" is not one of [\"ACTIVE\",\"LOCKED\",\"DISABLED\"]"),
                violations("GET", "/api/v1/me", 200, USER.formatted("").replace("\"ACTIVE\"", "\"GONE\"")));
        assertEquals(List.of("$.email is null: the API leaves out fields without a value"),
                violations("GET", "/api/v1/me", 200, USER.formatted(", \"email\": null")));
        assertEquals(List.of("$.nickname is not in the contract"), violations("GET", "/api/v1/me", 200, USER.formatted(", \"nickname\": \"A\"")));
        assertEquals(List.of("$.items[0].username is required but absent"),
                violations("GET", "/api/v1/users", 200, "{\"items\": [" + USER.formatted("").replace("\"username\": \"asha.rao\", ", "") + "]}"));
    }

    private static List<String> violations(String method, String path, int status, String body) {
        return ContractConformance.violations(method, path, status, body.getBytes(StandardCharsets.UTF_8));
    }
}
