package io.downline.support;

import static io.restassured.RestAssured.given;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.restassured.http.ContentType;

/** Creates accounts straight in the database (tests never use demo data) and logs them in through the API. */
public final class Accounts {

    public static final String PASSWORD = "test-password-1";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String HASH = BcryptUtil.bcryptHash(PASSWORD, 4);

    public record Account(UUID id, String username, String accessToken, String refreshToken) {
        public String bearer() {
            return "Bearer " + accessToken;
        }
    }

    private Accounts() {
    }

    /** A unique username, so tests in one run never collide. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "-" + SEQUENCE.incrementAndGet();
    }

    public static UUID insert(String username, String roles) {
        UUID id = UUID.randomUUID();
        try (Connection connection = TestDatabase.connect();
                PreparedStatement insert = connection.prepareStatement(
                        "insert into identity.app_user (id, username, display_name, password_hash, roles) values (?, ?, ?, ?, ?)")) {
            insert.setObject(1, id);
            insert.setString(2, username);
            insert.setString(3, "Test " + username);
            insert.setString(4, HASH);
            insert.setString(5, roles);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return id;
    }

    /** A new account with the given comma-separated roles, logged in. */
    public static Account create(String roles) {
        String username = uniqueName(roles.replace(',', '-'));
        UUID id = insert(username, roles);
        var tokens = login(username, PASSWORD);
        return new Account(id, username, tokens.getString("accessToken"), tokens.getString("refreshToken"));
    }

    public static io.restassured.path.json.JsonPath login(String username, String password) {
        return given().contentType(ContentType.JSON)
                .header("X-Forwarded-For", "203.0.113." + (SEQUENCE.incrementAndGet() % 250))
                .body("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")
                .when().post("/api/v1/auth/token")
                .then().statusCode(200)
                .extract().jsonPath();
    }
}
