package io.downline.kyc.api;

/** A document's review state; SUPERSEDED when a later upload of the same kind replaced it before it was decided. */
public enum DocumentStatus {
    PENDING, APPROVED, REJECTED, SUPERSEDED
}
