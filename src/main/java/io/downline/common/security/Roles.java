package io.downline.common.security;

/** The roles a user can hold; the names are the values of the token's groups claim. */
public final class Roles {

    public static final String DISTRIBUTOR = "distributor";
    public static final String ADMIN = "admin";
    public static final String FINANCE = "finance";
    /** Reviews KYC documents and answers distributors; reads what admins read. */
    public static final String SUPPORT = "support";

    private Roles() {
    }
}
