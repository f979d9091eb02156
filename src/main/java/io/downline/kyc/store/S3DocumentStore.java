package io.downline.kyc.store;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** An S3-compatible bucket (AWS S3, MinIO, Ceph, ...): one object per document, keyed by its reference. */
public class S3DocumentStore implements DocumentStore {

    private final S3Client client;
    private final String bucket;

    public S3DocumentStore(S3Client client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    @Override
    public void put(String ref, byte[] bytes) {
        // If-None-Match: a reference is written once and never overwritten.
        client.putObject(b -> b.bucket(bucket).key(ref).ifNoneMatch("*").contentType("application/octet-stream"),
                RequestBody.fromBytes(bytes));
    }

    @Override
    public byte[] get(String ref) {
        try {
            return client.getObjectAsBytes(b -> b.bucket(bucket).key(ref)).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new MissingDocumentException(ref);
        }
    }

    @Override
    public void delete(String ref) {
        client.deleteObject(b -> b.bucket(bucket).key(ref));
    }
}
