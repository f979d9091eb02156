package io.downline;

import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Runs the service; with the single argument {@code migrate} it applies the database migrations and exits instead, which
 * is how a deployment migrates before the new version serves (Flyway's advisory lock makes concurrent runs safe).
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(Main.class);

    @Inject
    Flyway flyway;

    public static void main(String... args) {
        Quarkus.run(Main.class, args);
    }

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        if (args.length == 1 && args[0].equals("migrate")) {
            int applied = flyway.migrate().migrationsExecuted;
            LOG.infof("Applied %d migration(s); schema at version %s", applied, flyway.info().current().getVersion());
            return 0;
        }
        LOG.errorf("Unknown arguments %s; the only command is 'migrate'", String.join(" ", args));
        return 2;
    }
}
