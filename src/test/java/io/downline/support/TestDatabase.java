package io.downline.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Guards and tidies the test database. Flyway cleans it at start, so before that this checks the database is one that
 * scripts/ensure-db.sh created (never someone else's); when the tests end it drops what they made, leaving it empty.
 */
public class TestDatabase implements QuarkusTestResourceLifecycleManager {

    static final String MARKER = "created by downline scripts/ensure-db.sh";

    @Override
    public Map<String, String> start() {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select shobj_description(oid, 'pg_database') from pg_database where datname = current_database()")) {
            rs.next();
            if (!MARKER.equals(rs.getString(1))) {
                throw new IllegalStateException("The test database " + name() + " was not created by scripts/ensure-db.sh; "
                        + "refusing to clean it. Run the tests with scripts/test.sh.");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the test database " + name() + "; run the tests with scripts/test.sh", e);
        }
        return Map.of();
    }

    @Override
    public void stop() {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            // every schema Flyway manages: public (the history table) and one per module
            statement.execute("drop schema if exists " + ConfigProvider.getConfig().getValue("quarkus.flyway.schemas", String.class) + " cascade");
            statement.execute("create schema public");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not clean the test database " + name(), e);
        }
    }

    public static Connection connect() throws SQLException {
        String host = env("DB_HOST", "127.0.0.1");
        String port = env("DB_PORT", "5432");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + name(),
                env("DB_USER", "postgres"), env("DB_PASSWORD", ""));
    }

    private static String name() {
        return env("TEST_DB_NAME", "downline_test");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
