package io.downline.kyc.app;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.util.SecretBytes;

import io.downline.common.Hashing;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;

/**
 * Envelope encryption with Google Tink. Every secret (a document, an Aadhaar number) is encrypted with AES-256-GCM under
 * a data key of its own; the data key is stored wrapped (encrypted) by the master key from configuration. Associated
 * data binds both the ciphertext and the wrapped key to their owner and place, so neither can be moved to another
 * member's record. Rotating the master key re-wraps data keys and never touches the encrypted secrets.
 */
@ApplicationScoped
public class Vault {

    /** A secret as stored: its ciphertext, its data key wrapped by the master key, and which master key that was. */
    public record Sealed(byte[] ciphertext, byte[] wrappedKey, String masterKeyId) {
    }

    private final String currentKeyId;
    private final Map<String, Aead> masterKeys = new LinkedHashMap<>();

    public Vault(KycConfig config) throws GeneralSecurityException {
        AeadConfig.register();
        currentKeyId = add(config.masterKey(), "KYC_MASTER_KEY");
        for (String previous : config.previousMasterKeys().orElse(List.of())) {
            add(previous, "KYC_PREVIOUS_MASTER_KEYS");
        }
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    public Sealed seal(byte[] plaintext, String associatedData) {
        try {
            KeysetHandle dataKey = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            byte[] ad = associatedData.getBytes(StandardCharsets.UTF_8);
            byte[] ciphertext = dataKey.getPrimitive(RegistryConfiguration.get(), Aead.class).encrypt(plaintext, ad);
            return new Sealed(ciphertext, TinkProtoKeysetFormat.serializeEncryptedKeyset(dataKey, masterKeys.get(currentKeyId), ad),
                    currentKeyId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encryption failed", e);
        }
    }

    /** The plaintext; a 500 problem naming the damage when the ciphertext or its wrapped key fails authentication. */
    public byte[] open(Sealed sealed, String associatedData) {
        byte[] ad = associatedData.getBytes(StandardCharsets.UTF_8);
        KeysetHandle dataKey = unwrap(sealed.wrappedKey(), sealed.masterKeyId(), ad);
        try {
            return dataKey.getPrimitive(RegistryConfiguration.get(), Aead.class).decrypt(sealed.ciphertext(), ad);
        } catch (GeneralSecurityException e) {
            throw new ProblemException(ProblemType.DOCUMENT_DAMAGED, "The stored document fails its integrity check (its encrypted "
                    + "bytes were changed or belong to another record); it cannot be decrypted.");
        }
    }

    /** The data key wrapped again under the current master key. */
    public byte[] rewrap(byte[] wrappedKey, String masterKeyId, String associatedData) {
        byte[] ad = associatedData.getBytes(StandardCharsets.UTF_8);
        try {
            return TinkProtoKeysetFormat.serializeEncryptedKeyset(unwrap(wrappedKey, masterKeyId, ad), masterKeys.get(currentKeyId), ad);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Re-wrapping failed", e);
        }
    }

    public boolean knows(String masterKeyId) {
        return masterKeys.containsKey(masterKeyId);
    }

    private KeysetHandle unwrap(byte[] wrappedKey, String masterKeyId, byte[] ad) {
        Aead master = masterKeys.get(masterKeyId);
        if (master == null) {
            throw new IllegalStateException("Master key " + masterKeyId + " is not configured (KYC_MASTER_KEY or KYC_PREVIOUS_MASTER_KEYS)");
        }
        try {
            return TinkProtoKeysetFormat.parseEncryptedKeyset(wrappedKey, master, ad);
        } catch (GeneralSecurityException e) {
            throw new ProblemException(ProblemType.DOCUMENT_DAMAGED, "The stored data key fails its integrity check; the document "
                    + "cannot be decrypted.");
        }
    }

    /** Registers a master key and answers its id: a short hash of the key, so rows say which key wrapped them. */
    private String add(String base64, String variable) throws GeneralSecurityException {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(variable + " must be base64", e);
        }
        if (raw.length != 32) {
            throw new IllegalStateException(variable + " must be 32 bytes (AES-256), base64-encoded; it has " + raw.length);
        }
        AesGcmParameters parameters = AesGcmParameters.builder().setKeySizeBytes(32).setIvSizeBytes(12).setTagSizeBytes(16)
                .setVariant(AesGcmParameters.Variant.NO_PREFIX).build();
        AesGcmKey key = AesGcmKey.builder().setParameters(parameters).setKeyBytes(SecretBytes.copyFrom(raw, InsecureSecretKeyAccess.get()))
                .build();
        KeysetHandle handle = KeysetHandle.newBuilder().addEntry(KeysetHandle.importKey(key).withRandomId().makePrimary()).build();
        String id = HexFormat.of().formatHex(Hashing.sha256(raw), 0, 8);
        masterKeys.put(id, handle.getPrimitive(RegistryConfiguration.get(), Aead.class));
        return id;
    }
}
