package io.downline.kyc.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.downline.kyc.store.DocumentStore;
import io.downline.kyc.store.LocalDocumentStore;
import io.downline.kyc.store.S3DocumentStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** The document store the configuration names. */
@ApplicationScoped
public class DocumentStores {

    @Produces
    @ApplicationScoped
    DocumentStore store(KycConfig config) {
        if (config.storage() == KycConfig.StoreKind.LOCAL) {
            return new LocalDocumentStore(config.directory());
        }
        KycConfig.S3 s3 = config.s3();
        String bucket = s3.bucket().orElseThrow(() -> new IllegalStateException("KYC_STORAGE=S3 needs KYC_S3_BUCKET"));
        S3ClientBuilder builder = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.of(s3.region()))
                .forcePathStyle(s3.pathStyle());
        s3.endpoint().ifPresent(builder::endpointOverride);
        if (s3.accessKey().isPresent()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey().get(),
                    s3.secretKey().orElseThrow(() -> new IllegalStateException("KYC_S3_ACCESS_KEY needs KYC_S3_SECRET_KEY")))));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return new S3DocumentStore(builder.build(), bucket);
    }
}
