package io.downline.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

@QuarkusTest
class AuthFlowTest {

    @Test
    void loginIssuesASignedAccessTokenAndARefreshToken() {
        String username = Accounts.uniqueName("login");
        Accounts.insert(username, "distributor");
        JsonPath tokens = Accounts.login(username, Accounts.PASSWORD);
        assertEquals("Bearer", tokens.getString("tokenType"));
        assertEquals(900, tokens.getInt("expiresIn"));
        given().header("Authorization", "Bearer " + tokens.getString("accessToken")).get("/api/v1/me")
                .then().statusCode(200)
                .body("username", equalTo(username))
                .body("roles", hasItem("distributor"))
                .body("status", equalTo("ACTIVE"))
                .body("createdAt", org.hamcrest.Matchers.matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"));
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameAnswer() {
        String username = Accounts.uniqueName("wrong");
        Accounts.insert(username, "distributor");
        Response wrong = attempt(username, "not-the-password", "198.51.100.1");
        Response unknown = attempt(Accounts.uniqueName("ghost"), "whatever-password", "198.51.100.1");
        for (Response response : List.of(wrong, unknown)) {
            response.then().statusCode(401).contentType("application/problem+json")
                    .body("type", equalTo("urn:downline:problem:invalid-credentials"))
                    .body("detail", equalTo("The username or password is wrong."));
        }
    }

    @Test
    void refreshRotatesAndAReusedRefreshTokenEndsTheSession() {
        Accounts.Account account = Accounts.create("distributor");
        JsonPath rotated = refresh(account.refreshToken()).then().statusCode(200).extract().jsonPath();
        assertNotEquals(account.refreshToken(), rotated.getString("refreshToken"));
        given().header("Authorization", "Bearer " + rotated.getString("accessToken")).get("/api/v1/me").then().statusCode(200);

        // The first refresh token comes back: it was stolen or replayed. Both copies stop working.
        refresh(account.refreshToken()).then().statusCode(401).body("type", equalTo("urn:downline:problem:invalid-token"));
        refresh(rotated.getString("refreshToken")).then().statusCode(401);
        given().header("Authorization", "Bearer " + rotated.getString("accessToken")).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void aGuessedSecretDoesNotEndSomeoneElsesSession() {
        Accounts.Account account = Accounts.create("distributor");
        String sessionId = account.refreshToken().substring(0, account.refreshToken().indexOf('.'));
        refresh(sessionId + ".guessed-secret").then().statusCode(401);
        refresh(account.refreshToken()).then().statusCode(200);
    }

    @Test
    void concurrentRefreshesOfOneTokenIssueExactlyOnePair() {
        Accounts.Account account = Accounts.create("distributor");
        List<CompletableFuture<Integer>> attempts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            attempts.add(CompletableFuture.supplyAsync(() -> refresh(account.refreshToken()).statusCode()));
        }
        List<Integer> statuses = attempts.stream().map(CompletableFuture::join).toList();
        assertEquals(1, statuses.stream().filter(status -> status == 200).count(), "exactly one refresh wins: " + statuses);
        assertTrue(statuses.stream().allMatch(status -> status == 200 || status == 401), "the others are refused: " + statuses);
    }

    @Test
    void malformedRefreshTokensAreRejected() {
        for (String token : List.of("nonsense", "not-a-uuid.secret", "00000000-0000-0000-0000-000000000000.secret")) {
            refresh(token).then().statusCode(401).contentType("application/problem+json");
        }
    }

    @Test
    void logoutEndsTheSessionForBothTokens() {
        Accounts.Account account = Accounts.create("finance");
        given().header("Authorization", account.bearer()).post("/api/v1/auth/logout").then().statusCode(204);
        given().header("Authorization", account.bearer()).get("/api/v1/me")
                .then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("urn:downline:problem:invalid-token"));
        refresh(account.refreshToken()).then().statusCode(401);
    }

    @Test
    void disablingAUserCutsOffTheirTokensAtOnce() {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account user = Accounts.create("support");
        given().header("Authorization", user.bearer()).get("/api/v1/me").then().statusCode(200);

        setStatus(admin, user, "DISABLED").then().statusCode(200).body("status", equalTo("DISABLED"));
        given().header("Authorization", user.bearer()).get("/api/v1/me").then().statusCode(401);
        refresh(user.refreshToken()).then().statusCode(401);
        attempt(user.username(), Accounts.PASSWORD, "198.51.100.2").then().statusCode(403)
                .body("type", equalTo("urn:downline:problem:account-disabled"));

        setStatus(admin, user, "ACTIVE").then().statusCode(200);
        Accounts.login(user.username(), Accounts.PASSWORD);
    }

    @Test
    void aLockedAccountCannotLogIn() {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account user = Accounts.create("distributor");
        setStatus(admin, user, "LOCKED").then().statusCode(200);
        attempt(user.username(), Accounts.PASSWORD, "198.51.100.3").then().statusCode(403)
                .body("type", equalTo("urn:downline:problem:account-locked"));
        given().header("Authorization", user.bearer()).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void adminsCannotChangeTheirOwnStatus() {
        Accounts.Account admin = Accounts.create("admin");
        setStatus(admin, admin, "DISABLED").then().statusCode(409).body("type", equalTo("urn:downline:problem:conflict"));
    }

    @Test
    void failedLoginsAreThrottledPerAccountAndAddressSoAStrangerCannotLockTheOwnerOut() {
        String username = Accounts.uniqueName("victim");
        Accounts.insert(username, "admin");
        String attacker = "198.51.100." + (int) (System.nanoTime() % 100 + 100);
        for (int i = 0; i < 5; i++) {
            attempt(username, "guess-" + i, attacker).then().statusCode(401);
        }
        // the guesser's address waits now, even with the right password...
        attempt(username, Accounts.PASSWORD, attacker).then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("urn:downline:problem:too-many-requests"));
        int retryAfter = Integer.parseInt(attempt(username, "guess-6", attacker).header("Retry-After"));
        org.hamcrest.MatcherAssert.assertThat(retryAfter, greaterThan(60));
        // ...but the owner, elsewhere, is not locked out
        attempt(username, Accounts.PASSWORD, "198.51.100.20").then().statusCode(200);
    }

    @Test
    void guessesFromManyAddressesSlowDownUnknownPlacesButNotWhereTheOwnerLoggedInBefore() {
        String username = Accounts.uniqueName("sprayed");
        Accounts.insert(username, "distributor");
        String home = "198.18.1." + (int) (System.nanoTime() % 200 + 1);
        attempt(username, Accounts.PASSWORD, home).then().statusCode(200);
        for (int i = 0; i < 20; i++) {
            attempt(username, "guess-" + i, "198.18.2." + (i + 1)).then().statusCode(401);
        }
        attempt(username, Accounts.PASSWORD, "198.18.3.1").then().statusCode(429).header("Retry-After", notNullValue());
        attempt(username, Accounts.PASSWORD, home).then().statusCode(200);
    }

    @Test
    void loginsAreThrottledPerClientAddress() {
        String address = "192.0.2." + (int) (System.nanoTime() % 200 + 1);
        for (int i = 0; i < 30; i++) {
            attempt(Accounts.uniqueName("spray"), "password-" + i, address).then().statusCode(401);
        }
        attempt(Accounts.uniqueName("spray"), "password", address).then().statusCode(429).header("Retry-After", notNullValue());
        // Another address is not affected.
        String other = Accounts.uniqueName("bystander");
        Accounts.insert(other, "distributor");
        attempt(other, Accounts.PASSWORD, "192.0.2.250").then().statusCode(200);
    }

    @Test
    void passwordChangeKeepsThisSessionAndEndsTheOthers() {
        Accounts.Account first = Accounts.create("distributor");
        JsonPath second = Accounts.login(first.username(), Accounts.PASSWORD);
        given().header("Authorization", first.bearer()).contentType(ContentType.JSON)
                .body("{\"currentPassword\":\"wrong-password\",\"newPassword\":\"brand-new-passphrase\"}")
                .put("/api/v1/me/password").then().statusCode(400).body("errors[0].field", equalTo("currentPassword"));
        given().header("Authorization", first.bearer()).contentType(ContentType.JSON)
                .body("{\"currentPassword\":\"" + Accounts.PASSWORD + "\",\"newPassword\":\"brand-new-passphrase\"}")
                .put("/api/v1/me/password").then().statusCode(204);
        given().header("Authorization", first.bearer()).get("/api/v1/me").then().statusCode(200);
        given().header("Authorization", "Bearer " + second.getString("accessToken")).get("/api/v1/me").then().statusCode(401);
        attempt(first.username(), Accounts.PASSWORD, "198.51.100.30").then().statusCode(401);
        Accounts.login(first.username(), "brand-new-passphrase");
    }

    @Test
    void anOwnTokenWithoutTheSessionClaimIsRejected() throws Exception {
        Accounts.Account admin = Accounts.create("admin");
        // signed with the service's own key, for a real admin, but not tied to any session: logout or lock could not end it
        String sessionless = io.smallrye.jwt.build.Jwt.issuer("https://downline.local").audience("downline-api")
                .subject(admin.id().toString()).upn(admin.username()).groups("admin")
                .sign(io.smallrye.jwt.util.KeyUtils.readPrivateKey("test-keys/jwt-private.pem"));
        given().header("Authorization", "Bearer " + sessionless).get("/api/v1/users").then().statusCode(401)
                .contentType("application/problem+json").body("type", equalTo("urn:downline:problem:invalid-token"));
    }

    @Test
    void aTokenSignedByAnotherKeyIsRejected() throws Exception {
        String forged = io.smallrye.jwt.build.Jwt.issuer("https://downline.local").audience("downline-api").upn("admin").groups("admin")
                .sign(io.smallrye.jwt.util.KeyUtils.readPrivateKey("test-keys/external-private.pem"));
        given().header("Authorization", "Bearer " + forged).get("/api/v1/users").then().statusCode(401)
                .contentType("application/problem+json");
    }

    private static Response attempt(String username, String password, String address) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", address)
                .body("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")
                .post("/api/v1/auth/token");
    }

    private static Response refresh(String token) {
        return given().contentType(ContentType.JSON).body("{\"refreshToken\":\"" + token + "\"}").post("/api/v1/auth/refresh");
    }

    private static Response setStatus(Accounts.Account admin, Accounts.Account user, String status) {
        return given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"status\":\"" + status + "\",\"reason\":\"test\"}")
                .put("/api/v1/users/" + user.id() + "/status");
    }
}
