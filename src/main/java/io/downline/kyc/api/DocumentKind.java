package io.downline.kyc.api;

/** The documents a distributor's KYC is made of; every one of them approved makes KYC complete. */
public enum DocumentKind {
    AADHAAR, PAN, BANK_PROOF, PHOTO
}
