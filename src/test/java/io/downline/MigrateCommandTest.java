package io.downline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** The deployment's init container runs the image with "migrate": it must migrate an empty database and exit 0. */
@QuarkusMainTest
@TestProfile(MigrateCommandTest.NoMigrationAtStart.class)
class MigrateCommandTest {

    public static class NoMigrationAtStart implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.flyway.migrate-at-start", "false");
        }
    }

    @Test
    @Launch("migrate")
    void migratesAndExits(LaunchResult result) {
        assertEquals(0, result.exitCode());
        assertTrue(result.getOutput().matches("(?s).*Applied \\d+ migration\\(s\\); schema at version \\d+.*"), result.getOutput());
        assertTrue(result.getOutput().contains("Successfully applied"), "Flyway applied the migrations");
    }

    @Test
    @Launch(value = "rollback", exitCode = 2)
    void refusesUnknownCommands(LaunchResult result) {
        assertTrue(result.getErrorOutput().contains("the commands are 'migrate', 'relabel', 'verify-ledger' and 'rotate-kyc-key'")
                || result.getOutput().contains("the commands are 'migrate', 'relabel', 'verify-ledger' and 'rotate-kyc-key'"));
    }
}
