package io.downline.kyc.app;

import java.util.List;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.kyc.store.KycRepository;
import io.downline.kyc.store.KycRepository.WrappedKey;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Master key rotation (the container command {@code rotate-kyc-key}): every data key wrapped by an earlier master key is
 * unwrapped with it and wrapped again with the current one. The documents themselves are not touched. Safe to run again
 * and alongside the service: each row is replaced only if it still carries the key it was read with.
 */
@ApplicationScoped
public class KeyRotation {

    private static final int BATCH = 200;

    /** How many data keys were re-wrapped. */
    public record Rotated(String masterKeyId, long documents, long aadhaarNumbers) {
    }

    private final KycRepository repository;
    private final Vault vault;

    public KeyRotation(KycRepository repository, Vault vault) {
        this.repository = repository;
        this.vault = vault;
    }

    public Uni<Rotated> rotate() {
        String current = vault.currentKeyId();
        return pass(after -> repository.documentKeysNotUnder(repository.pool(), current, after, BATCH), WrappedKey::documentId,
                key -> repository.rewrapDocument(repository.pool(), key.documentId(), key.masterKeyId(),
                        vault.rewrap(key.wrappedKey(), key.masterKeyId(), KycService.documentBinding(key.distributorId(), key.storageRef())), current), 0, 0)
                .chain(documents -> pass(after -> repository.aadhaarKeysNotUnder(repository.pool(), current, after, BATCH),
                        WrappedKey::distributorId,
                        key -> repository.rewrapAadhaar(repository.pool(), key.distributorId(), key.masterKeyId(),
                                vault.rewrap(key.wrappedKey(), key.masterKeyId(), KycService.aadhaarBinding(key.distributorId())), current), 0, 0)
                        .map(aadhaar -> new Rotated(current, documents, aadhaar)));
    }

    /** Walks the rows batch by batch in key order; a key wrapped by a master key that is not configured stops the run. */
    private Uni<Long> pass(LongFunction<Uni<List<WrappedKey>>> batch, ToLongFunction<WrappedKey> position,
            Function<WrappedKey, Uni<Boolean>> rewrap, long after, long done) {
        return batch.apply(after).chain(keys -> {
            if (keys.isEmpty()) {
                return Uni.createFrom().item(done);
            }
            return Multi.createFrom().iterable(keys).onItem().transformToUniAndConcatenate(key -> {
                if (!vault.knows(key.masterKeyId())) {
                    throw new IllegalStateException("A data key is wrapped by master key " + key.masterKeyId()
                            + ", which is neither KYC_MASTER_KEY nor one of KYC_PREVIOUS_MASTER_KEYS");
                }
                return rewrap.apply(key);
            }).collect().asList().chain(results -> pass(batch, position, rewrap, position.applyAsLong(keys.get(keys.size() - 1)),
                    done + results.stream().filter(Boolean::booleanValue).count()));
        });
    }
}
