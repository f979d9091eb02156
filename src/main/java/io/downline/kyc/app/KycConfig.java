package io.downline.kyc.app;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The KYC vault's settings (README, "KYC vault"). */
@ConfigMapping(prefix = "downline.kyc")
public interface KycConfig {

    /** The master key (base64 of 32 random bytes) that wraps every document's data key. */
    String masterKey();

    /** Earlier master keys, still accepted for reading until {@code rotate-kyc-key} has re-wrapped what they wrapped. */
    Optional<List<String>> previousMasterKeys();

    /** The largest document accepted. */
    @WithDefault("5M")
    MemorySize maxDocumentSize();

    /** LOCAL (a directory) or S3 (an S3-compatible bucket). */
    @WithDefault("LOCAL")
    StoreKind storage();

    /** The directory of the LOCAL store. */
    @WithDefault(".kyc-vault")
    Path directory();

    S3 s3();

    enum StoreKind {
        LOCAL, S3
    }

    interface S3 {
        Optional<String> bucket();

        /** Endpoint of an S3-compatible service other than AWS (MinIO, Ceph, ...). */
        Optional<URI> endpoint();

        @WithDefault("ap-south-1")
        String region();

        /** Static credentials; without them the SDK's default chain (environment, profile, instance role) applies. */
        Optional<String> accessKey();

        Optional<String> secretKey();

        /** Bucket in the path rather than the host name, as most S3-compatible services want. */
        @WithDefault("true")
        boolean pathStyle();
    }
}
