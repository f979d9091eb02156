package io.downline.kyc.store;

/**
 * Where the encrypted documents live, outside the database: a local directory by default, an S3-compatible bucket by
 * configuration. It only ever sees ciphertext. Calls block; callers run them off the event loop.
 */
public interface DocumentStore {

    /** Stores the bytes under a reference that is not in use yet. */
    void put(String ref, byte[] bytes);

    /** The bytes stored under the reference; {@link MissingDocumentException} when there are none. */
    byte[] get(String ref);

    /** Removes the reference, if it exists. */
    void delete(String ref);

    /** Nothing is stored under the reference. */
    class MissingDocumentException extends RuntimeException {
        public MissingDocumentException(String ref) {
            super("Nothing is stored under " + ref);
        }
    }
}
