package io.downline.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Request bodies are read exactly as written or refused with a 400 problem that names the field; nothing changes. */
@QuarkusTest
class StrictInputTest {

    static Accounts.Account admin;

    @BeforeEach
    void accounts() {
        if (admin == null) {
            admin = Accounts.create("admin");
        }
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        String username = Accounts.uniqueName("dup");
        createUser("{\"username\":\"" + username + "\",\"displayName\":\"A\",\"password\":\"0123456789\",\"roles\":[\"support\"],"
                + "\"username\":\"other-" + username + "\"}")
                .statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:downline:problem:validation-failed"))
                .body("errors[0].field", equalTo("username"))
                .body("errors[0].message", equalTo("appears more than once"));
        // neither name was taken
        createUser("{\"username\":\"" + username + "\",\"displayName\":\"A\",\"password\":\"0123456789\",\"roles\":[\"support\"]}")
                .statusCode(201);
    }

    @Test
    void aMoneyAmountGivenTwiceIsRefusedWithItsPath() {
        String before = given().header("Authorization", admin.bearer()).get("/api/v1/ledger/settings").then().statusCode(200)
                .extract().asString();
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"transfersEnabled\":true,\"transferFee\":{\"amount\":\"0.00\",\"currency\":\"INR\"},"
                        + "\"minimumWithdrawal\":{\"amount\":\"100.00\",\"currency\":\"INR\",\"amount\":\"1.00\"},"
                        + "\"withdrawalFee\":{\"amount\":\"0.00\",\"currency\":\"INR\"},"
                        + "\"dailyWithdrawalLimit\":{\"amount\":\"50000.00\",\"currency\":\"INR\"}}")
                .put("/api/v1/ledger/settings")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("minimumWithdrawal.amount"));
        given().header("Authorization", admin.bearer()).get("/api/v1/ledger/settings").then().statusCode(200)
                .body(equalTo(before));
    }

    @Test
    void contentAfterTheDocumentIsRefused() {
        createUser("{\"username\":\"" + Accounts.uniqueName("trail") + "\",\"displayName\":\"A\",\"password\":\"0123456789\","
                + "\"roles\":[\"support\"]} {\"roles\":[\"admin\"]}")
                .statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:downline:problem:malformed-request"));
    }

    @Test
    void aNumberIsNotText() {
        createUser("{\"username\":\"" + Accounts.uniqueName("num") + "\",\"displayName\":12345,\"password\":\"0123456789\","
                + "\"roles\":[\"support\"]}")
                .statusCode(400).body("errors[0].field", equalTo("displayName"));
    }

    @Test
    void enumOrdinalsAreRefused() {
        Accounts.Account user = Accounts.create("support");
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"status\":2,\"reason\":\"ordinal\"}")
                .put("/api/v1/users/" + user.id() + "/status")
                .then().statusCode(400).body("errors[0].field", equalTo("status"));
        given().header("Authorization", user.bearer()).get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void booleansAreOnlyTrueOrFalse() {
        for (String flag : new String[] { "\"true\"", "1" }) {
            given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                    .body("{\"transfersEnabled\":" + flag + ",\"transferFee\":{\"amount\":\"0.00\",\"currency\":\"INR\"},"
                            + "\"minimumWithdrawal\":{\"amount\":\"100.00\",\"currency\":\"INR\"},"
                            + "\"withdrawalFee\":{\"amount\":\"0.00\",\"currency\":\"INR\"},"
                            + "\"dailyWithdrawalLimit\":{\"amount\":\"50000.00\",\"currency\":\"INR\"}}")
                    .put("/api/v1/ledger/settings")
                    .then().statusCode(400).body("errors[0].field", equalTo("transfersEnabled"));
        }
    }

    @Test
    void quantitiesAreWholeNumbers() {
        for (String quantity : new String[] { "1.5", "\"2\"" }) {
            given().header("Authorization", admin.bearer()).header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                    .contentType(ContentType.JSON)
                    .body("{\"kind\":\"RECEIPT\",\"sku\":\"NONE\",\"quantity\":" + quantity + ",\"reason\":\"count\"}")
                    .post("/api/v1/warehouses/NOWHERE/stock-movements")
                    .then().statusCode(400).body("errors[0].field", equalTo("quantity"));
        }
    }

    @Test
    void controlCharactersInTextAreRefused() {
        String username = Accounts.uniqueName("nul");
        createUser("{\"username\":\"" + username + "\",\"displayName\":\"Ravi\\u0000\",\"password\":\"0123456789\","
                + "\"roles\":[\"support\"]}")
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("displayName"))
                .body("errors[0].message", equalTo("must not contain control characters"));
        createUser("{\"username\":\"" + username + "\",\"displayName\":\"Ravi\\u001b[31m\",\"password\":\"0123456789\","
                + "\"roles\":[\"support\"]}")
                .statusCode(400).body("errors[0].field", equalTo("displayName"));
    }

    @Test
    void freeTextMayHoldLineBreaks() {
        Accounts.Account user = Accounts.create("support");
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"status\":\"LOCKED\",\"reason\":\"Reported by the branch.\\nSee ticket 4411.\"}")
                .put("/api/v1/users/" + user.id() + "/status")
                .then().statusCode(200);
    }

    private static ValidatableResponse createUser(String body) {
        return given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body(body).post("/api/v1/users").then();
    }
}
