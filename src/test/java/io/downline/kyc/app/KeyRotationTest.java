package io.downline.kyc.app;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.downline.common.problem.ProblemException;
import io.downline.support.Accounts;
import io.downline.support.Kyc;
import io.downline.support.Network;
import io.downline.support.Wallets;
import io.downline.support.Wallets.Member;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Master key rotation: data keys wrapped by the previous master key are re-wrapped under the current one, the documents
 * themselves stay as they are, and afterwards the previous key is no longer needed.
 */
@QuarkusTest
@TestProfile(KeyRotationTest.NewMasterKey.class)
class KeyRotationTest {

    static final String OLD_KEY = "dGVzdC1vbmx5LWt5Yy1tYXN0ZXIta2V5LTMyLWJ5dGU=";
    static final String NEW_KEY = "cm90YXRlZC10ZXN0LWt5Yy1tYXN0ZXIta2V5LTMyQiE=";

    public static class NewMasterKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("downline.kyc.master-key", NEW_KEY, "downline.kyc.previous-master-keys", OLD_KEY);
        }
    }

    @Inject
    KeyRotation rotation;

    @Test
    void rotationRewrapsEveryDataKeyAndLeavesTheDocumentsAsTheyWere() throws Exception {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account support = Accounts.create("support");
        Member m = Wallets.member(admin, "Rohan Rotated");
        byte[] pdf = Kyc.pdf();
        int id = Kyc.upload(m, "PAN", pdf, "pan.pdf", "application/pdf", null).then().statusCode(201).extract().path("id");
        Kyc.upload(m, "AADHAAR", Kyc.jpeg(), "a.jpg", "image/jpeg", Kyc.aadhaarNumber()).then().statusCode(201);

        // make both data keys look as the previous master key left them
        Vault oldVault = vault(OLD_KEY, List.of(NEW_KEY));
        Vault newOnly = vault(NEW_KEY, List.of());
        String ref = Network.query("select storage_ref from kyc.document where id = ?", (long) id);
        long distributorId = Long.parseLong(Network.query("select distributor_id::text from kyc.document where id = ?", (long) id));
        byte[] wrapped = HexFormat.of().parseHex(Network.query("select encode(wrapped_key, 'hex') from kyc.document where id = ?", (long) id));
        byte[] wrappedAadhaar = HexFormat.of().parseHex(Network.query("select encode(wrapped_key, 'hex') from kyc.aadhaar where distributor_id = ?",
                distributorId));
        Network.query("update kyc.document set wrapped_key = decode(?, 'hex'), master_key_id = ? where id = ? returning 1",
                HexFormat.of().formatHex(oldVault.rewrap(wrapped, newOnly.currentKeyId(), KycService.documentBinding(distributorId, ref))),
                oldVault.currentKeyId(), (long) id);
        Network.query("update kyc.aadhaar set wrapped_key = decode(?, 'hex'), master_key_id = ? where distributor_id = ? returning 1",
                HexFormat.of().formatHex(oldVault.rewrap(wrappedAadhaar, newOnly.currentKeyId(), KycService.aadhaarBinding(distributorId))),
                oldVault.currentKeyId(), distributorId);
        byte[] ciphertext = Files.readAllBytes(Path.of("target/kyc-vault-test").resolve(ref));
        Vault.Sealed underOld = new Vault.Sealed(ciphertext, HexFormat.of().parseHex(Network.query(
                "select encode(wrapped_key, 'hex') from kyc.document where id = ?", (long) id)), oldVault.currentKeyId());
        assertThrows(IllegalStateException.class, () -> newOnly.open(underOld, KycService.documentBinding(distributorId, ref)),
                "without the previous key the old wrapping cannot be opened");
        // still readable while the previous key is configured
        assertArrayEquals(pdf, given().header("Authorization", support.bearer()).queryParam("reason", "Before rotation")
                .get("/api/v1/kyc/documents/" + id + "/content").then().statusCode(200).extract().asByteArray());

        KeyRotation.Rotated rotated = rotation.rotate().await().indefinitely();
        assertEquals(newOnly.currentKeyId(), rotated.masterKeyId());
        assertEquals(1, rotated.documents());
        assertEquals(1, rotated.aadhaarNumbers());
        assertEquals("0", Network.query("select count(*)::text from kyc.document where master_key_id <> ?", newOnly.currentKeyId()));
        assertEquals("0", Network.query("select count(*)::text from kyc.aadhaar where master_key_id <> ?", newOnly.currentKeyId()));
        assertArrayEquals(ciphertext, Files.readAllBytes(Path.of("target/kyc-vault-test").resolve(ref)), "files are not re-encrypted");

        // the new master key alone opens everything now
        Vault.Sealed rotatedDocument = new Vault.Sealed(ciphertext, HexFormat.of().parseHex(Network.query(
                "select encode(wrapped_key, 'hex') from kyc.document where id = ?", (long) id)), newOnly.currentKeyId());
        assertArrayEquals(pdf, newOnly.open(rotatedDocument, KycService.documentBinding(distributorId, ref)));
        assertThrows(ProblemException.class, () -> newOnly.open(rotatedDocument, KycService.documentBinding(distributorId + 1, ref)),
                "the wrapped key is bound to its member");
        assertEquals(0, rotation.rotate().await().indefinitely().documents(), "a second run has nothing to do");
    }

    private static Vault vault(String current, List<String> previous) throws Exception {
        return new Vault(new KycConfig() {
            @Override
            public String masterKey() {
                return current;
            }

            @Override
            public Optional<List<String>> previousMasterKeys() {
                return Optional.of(previous);
            }

            @Override
            public MemorySize maxDocumentSize() {
                return new MemorySize(java.math.BigInteger.valueOf(1 << 20));
            }

            @Override
            public StoreKind storage() {
                return StoreKind.LOCAL;
            }

            @Override
            public Path directory() {
                return Path.of("target/kyc-vault-test");
            }

            @Override
            public S3 s3() {
                return null;
            }
        });
    }
}
