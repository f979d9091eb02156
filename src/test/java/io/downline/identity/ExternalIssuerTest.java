package io.downline.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.downline.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

/** A company that signs in through its own OpenID Connect provider: configuration alone switches the service over. */
@QuarkusTest
@TestProfile(ExternalIssuerTest.ExternalIssuer.class)
class ExternalIssuerTest {

    static final String ISSUER = "https://idp.example.test/realms/downline";

    public static class ExternalIssuer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mp.jwt.verify.issuer", ISSUER,
                    "mp.jwt.verify.publickey.location", "test-keys/external-public.pem",
                    "smallrye.jwt.path.groups", "realm_access/roles",
                    "downline.auth.local-login", "false");
        }
    }

    @Test
    void rolesComeFromTheProvidersClaim() throws Exception {
        given().header("Authorization", "Bearer " + externalToken("idp-admin", "admin")).get("/api/v1/users").then().statusCode(200);
        given().header("Authorization", "Bearer " + externalToken("idp-seller", "distributor")).get("/api/v1/users")
                .then().statusCode(403);
    }

    @Test
    void aLinkedAccountIsTheCallerAndStopsWorkingWhenDisabled() throws Exception {
        String username = Accounts.uniqueName("ext");
        Accounts.insert(username, "admin");
        try (Connection connection = TestDatabase.connect();
                PreparedStatement link = connection.prepareStatement("update identity.app_user set external_subject = ? where username = ?")) {
            link.setString(1, ISSUER + "|f:" + username);
            link.setString(2, username);
            link.executeUpdate();
        }
        String token = externalToken(username, "admin");
        given().header("Authorization", "Bearer " + token).get("/api/v1/me").then().statusCode(200).body("username", equalTo(username));
        try (Connection connection = TestDatabase.connect();
                PreparedStatement disable = connection.prepareStatement("update identity.app_user set status = 'DISABLED' where username = ?")) {
            disable.setString(1, username);
            disable.executeUpdate();
        }
        given().header("Authorization", "Bearer " + token).get("/api/v1/users").then().statusCode(401);
    }

    @Test
    void aNameAloneDoesNotLinkAnAccount() throws Exception {
        // Providers often let users pick their username: it must not make them someone here.
        String username = Accounts.uniqueName("namesake");
        Accounts.insert(username, "admin");
        given().header("Authorization", "Bearer " + externalToken(username, "distributor")).get("/api/v1/me")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void tokensForAnotherAudienceAreRefused() throws Exception {
        String otherApp = Jwt.issuer(ISSUER).audience("some-other-app").subject("f:x").claim("preferred_username", "x")
                .claim("realm_access", Map.of("roles", List.of("admin"))).expiresIn(300)
                .sign(KeyUtils.readPrivateKey("test-keys/external-private.pem"));
        given().header("Authorization", "Bearer " + otherApp).get("/api/v1/users").then().statusCode(401);
    }

    @Test
    void localLoginIsSwitchedOff() {
        given().contentType(ContentType.JSON).body("{\"username\":\"someone\",\"password\":\"something-long\"}")
                .post("/api/v1/auth/token")
                .then().statusCode(403).body("type", equalTo("urn:downline:problem:local-login-disabled"));
    }

    @Test
    void tokensOfTheBuiltInIssuerAreNoLongerTrusted() throws Exception {
        String local = Jwt.issuer("https://downline.local").audience("downline-api").upn("admin").groups("admin")
                .sign(KeyUtils.readPrivateKey("test-keys/jwt-private.pem"));
        given().header("Authorization", "Bearer " + local).get("/api/v1/users").then().statusCode(401);
    }

    private static String externalToken(String username, String role) throws Exception {
        PrivateKey key = KeyUtils.readPrivateKey("test-keys/external-private.pem");
        // Like Keycloak's: its own "sid" claim, the roles under realm_access.
        return Jwt.issuer(ISSUER).audience("downline-api").subject("f:" + username).claim("preferred_username", username)
                .claim("sid", java.util.UUID.randomUUID().toString())
                .claim("realm_access", Map.of("roles", List.of(role))).expiresIn(300).sign(key);
    }
}
