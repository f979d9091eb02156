package io.downline.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.downline.common.Hashing;
import io.downline.support.Accounts;
import io.downline.support.Mailbox;
import io.downline.support.Network;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

@QuarkusTest
class AccountRecoveryTest {

    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    private Accounts.Account admin;
    private String root;

    @BeforeEach
    void network() {
        admin = Accounts.create("admin");
        root = Network.root(admin);
    }

    @Test
    void theActivationCodeGoesToTheRecruitsAddressAndNeverIntoTheResponse() {
        String email = Mailbox.address("recruit");
        JsonPath joined = Network.register(admin.bearer(), "{\"sponsor\":\"" + root + "\",\"fullName\":\"Kavya Menon\",\"email\":\"" + email + "\"}")
                .then().statusCode(201).body("activationCodeSent", equalTo(true)).extract().jsonPath();
        String username = joined.getString("username");
        assertFalse(joined.getMap("").containsKey("activationCode"));
        assertEquals(email, Mailbox.recipient("ACTIVATION_CODE", username));
        String code = Mailbox.activationCode(username);
        assertEquals(Hashing.sha256Hex(code), Network.query("select code_hash from identity.account_activation where user_id = "
                + "(select id from identity.app_user where username = ?)", username), "only the hash is kept with the account");
        Network.activate(joined);
    }

    @Test
    void aRecruitWithoutAnAddressNeedsAnAdminToRegisterThem() {
        JsonPath sponsor = Network.join(admin, root, "Sponsor Without Recruit Address");
        String bearer = Network.activate(sponsor);
        Network.register(bearer, "{\"fullName\":\"No Address\"}").then().statusCode(400).body("errors[0].field", equalTo("email"));
        Network.register(null, "{\"sponsor\":\"" + sponsor.getString("referralCode") + "\",\"fullName\":\"No Address\"}")
                .then().statusCode(400).body("errors[0].field", equalTo("email"));
        Network.register(admin.bearer(), "{\"sponsor\":\"" + root + "\",\"fullName\":\"Imported Later\"}").then().statusCode(201)
                .body("activationCodeSent", equalTo(false));
    }

    @Test
    void anExpiredCodeIsReplacedByANewOneSentToTheRecruit() {
        JsonPath joined = Network.join(admin, root, "Late Activator");
        String username = joined.getString("username");
        String old = Mailbox.activationCode(username);
        Network.query("update identity.account_activation set expires_at = now() - interval '1 minute' where user_id = "
                + "(select id from identity.app_user where username = ?) returning 1", username);
        activate(username, old).then().statusCode(401);

        recovery("/activation/resend", username).then().statusCode(202);
        String fresh = Mailbox.activationCode(username);
        assertNotEquals(old, fresh);
        assertEquals(2, Mailbox.count("ACTIVATION_CODE", username));
        activate(username, fresh).then().statusCode(200);
        // activated: nothing more to resend
        recovery("/activation/resend", username).then().statusCode(202);
        assertEquals(2, Mailbox.count("ACTIVATION_CODE", username));
    }

    @Test
    void unknownAccountsGetTheSameAnswerAndNoMessage() {
        String ghost = Accounts.uniqueName("ghost");
        Response reset = recovery("/password-reset", ghost + "@example.com");
        Response resend = recovery("/activation/resend", ghost);
        reset.then().statusCode(202);
        resend.then().statusCode(202);
        assertEquals("", reset.asString());
        assertEquals("0", Network.query("select count(*) from notification.message where recipient = ?", ghost + "@example.com"));
    }

    @Test
    void aResetCodeSetsANewPasswordOnceAndEndsEverySession() {
        JsonPath joined = Network.join(admin, root, "Forgetful");
        String username = joined.getString("username");
        Network.activate(joined);
        JsonPath session = Accounts.login(username, Accounts.PASSWORD);
        String email = Network.query("select email from identity.app_user where username = ?", username);

        recovery("/password-reset", email.toUpperCase()).then().statusCode(202);
        assertEquals(email, Mailbox.recipient("PASSWORD_RESET", username));
        String token = Mailbox.resetToken(username);
        assertEquals("1", Network.query("select count(*) from identity.password_reset where token_hash = ?", Hashing.sha256Hex(token)));

        reset("not-the-token", "a-brand-new-passphrase").then().statusCode(401).body("type", equalTo("urn:downline:problem:invalid-token"));
        reset(token, "short").then().statusCode(400).body("errors[0].field", equalTo("newPassword"));
        reset(token, "a-brand-new-passphrase").then().statusCode(204);
        reset(token, "another-new-passphrase").then().statusCode(401);

        given().header("Authorization", "Bearer " + session.getString("accessToken")).get("/api/v1/me").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"refreshToken\":\"" + session.getString("refreshToken") + "\"}")
                .post("/api/v1/auth/refresh").then().statusCode(401);
        Accounts.login(username, "a-brand-new-passphrase");
    }

    @Test
    void aResetCodeExpiresAndALockedAccountCannotBeReset() {
        JsonPath joined = Network.join(admin, root, "Slow Reader");
        String username = joined.getString("username");
        Network.activate(joined);
        recovery("/password-reset", username).then().statusCode(202);
        String token = Mailbox.resetToken(username);
        Network.query("update identity.password_reset set expires_at = now() - interval '1 second' where token_hash = ? returning 1", Hashing.sha256Hex(token));
        reset(token, "a-brand-new-passphrase").then().statusCode(401);

        recovery("/password-reset", username).then().statusCode(202);
        String second = Mailbox.resetToken(username);
        Network.query("update identity.app_user set status = 'LOCKED' where username = ? returning 1", username);
        reset(second, "a-brand-new-passphrase").then().statusCode(403);
        // a locked account gets no further codes
        recovery("/password-reset", username).then().statusCode(202);
        assertEquals(2, Mailbox.count("PASSWORD_RESET", username));
    }

    @Test
    void anAccountNeverActivatedGetsANewActivationCodeInsteadOfAReset() {
        JsonPath joined = Network.join(admin, root, "Never Activated");
        String username = joined.getString("username");
        recovery("/password-reset", username).then().statusCode(202);
        assertEquals(0, Mailbox.count("PASSWORD_RESET", username));
        assertEquals(2, Mailbox.count("ACTIVATION_CODE", username));
    }

    @Test
    void requestsAreThrottledPerLoginQuietlyAndPerAddressOpenly() {
        JsonPath joined = Network.join(admin, root, "Popular Target");
        String username = joined.getString("username");
        Network.activate(joined);
        for (int i = 0; i < 5; i++) {
            recovery("/password-reset", username, "192.0.2." + (10 + i)).then().statusCode(202);
        }
        assertEquals(3, Mailbox.count("PASSWORD_RESET", username), "three messages an hour at most, the same answer throughout");

        String address = "192.0.2.200";
        for (int i = 0; i < 10; i++) {
            recovery("/activation/resend", Accounts.uniqueName("nobody"), address).then().statusCode(202);
        }
        recovery("/activation/resend", Accounts.uniqueName("nobody"), address).then().statusCode(429)
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
    }

    private static Response recovery(String path, String login) {
        return recovery(path, login, nextAddress());
    }

    private static Response recovery(String path, String login, String address) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", address).body("{\"login\":\"" + login + "\"}")
                .post("/api/v1/auth" + path);
    }

    private static Response reset(String token, String password) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", nextAddress()).body("{\"token\":\"" + token + "\",\"newPassword\":\"" + password + "\"}")
                .post("/api/v1/auth/password-reset/confirm");
    }

    /** Each request from its own address, so that only the throttling test meets the per-address limit. */
    private static String nextAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "198.51.100." + (n % 250 + 1);
    }

    private static Response activate(String username, String code) {
        return given().contentType(ContentType.JSON)
                .body("{\"username\":\"" + username + "\",\"activationCode\":\"" + code + "\",\"password\":\"" + Accounts.PASSWORD + "\"}")
                .post("/api/v1/auth/activate");
    }
}
