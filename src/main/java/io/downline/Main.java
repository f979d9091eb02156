package io.downline;

import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;

import io.downline.common.http.HttpProblemRoutes;
import io.downline.genealogy.api.Tree;
import io.downline.ledger.api.LedgerModels.VerificationView;
import io.downline.ledger.app.LedgerService;
import io.downline.genealogy.app.TreeMaintenance;
import io.downline.kyc.app.KeyRotation;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Runs the service. Two maintenance commands run instead and exit: {@code migrate} applies the database migrations, which
 * is how a deployment migrates before the new version serves (Flyway's advisory lock makes concurrent runs safe), and
 * {@code relabel} rebuilds both trees' labels from their parent pointers, and {@code verify-ledger} recomputes every hash
 * chain and balance of the ledger (exit 1 on the first mismatch), and {@code rotate-kyc-key} re-wraps every KYC data key that an
 * earlier master key wrapped under the current one ({@code KYC_MASTER_KEY}, with the old one in {@code KYC_PREVIOUS_MASTER_KEYS}).
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(Main.class);

    @Inject
    Flyway flyway;

    @Inject
    TreeMaintenance trees;

    @Inject
    LedgerService ledger;

    @Inject
    KeyRotation kycKeys;

    public static void main(String... args) {
        // HttpProblemRoutes makes the same URI check and answers a malformed URI with a problem, not an empty 400
        System.setProperty(HttpProblemRoutes.QUARKUS_URI_CHECK_OFF, "true");
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
        if (args.length == 1 && args[0].equals("relabel")) {
            for (Tree tree : Tree.values()) {
                trees.relabel(tree).await().indefinitely();
            }
            return 0;
        }
        if (args.length == 1 && args[0].equals("verify-ledger")) {
            VerificationView result = ledger.verify().await().indefinitely();
            if (result.consistent()) {
                LOG.infof("Ledger consistent: %d entries in %d accounts", result.entriesChecked(), result.accountsChecked());
                return 0;
            }
            LOG.errorf("Ledger inconsistent (%d mismatches); first: account %s, sequence %s: %s", result.mismatches(),
                    result.firstMismatch().accountId(), result.firstMismatch().sequence(), result.firstMismatch().problem());
            return 1;
        }
        if (args.length == 1 && args[0].equals("rotate-kyc-key")) {
            KeyRotation.Rotated rotated = kycKeys.rotate().await().indefinitely();
            LOG.infof("KYC data keys now under master key %s: re-wrapped %d document key(s) and %d Aadhaar key(s)",
                    rotated.masterKeyId(), rotated.documents(), rotated.aadhaarNumbers());
            return 0;
        }
        LOG.errorf("Unknown arguments %s; the commands are 'migrate', 'relabel', 'verify-ledger' and 'rotate-kyc-key'", String.join(" ", args));
        return 2;
    }
}
