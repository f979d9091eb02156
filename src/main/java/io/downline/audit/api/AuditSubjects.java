package io.downline.audit.api;

/** The kinds of subject the audit log names, so every module spells them alike (and staff can filter by them). */
public final class AuditSubjects {

    public static final String USER = "user";
    public static final String PLAN = "plan";
    public static final String DISTRIBUTOR = "distributor";
    public static final String LEDGER_TRANSACTION = "ledger-transaction";
    public static final String LEDGER_SETTINGS = "ledger-settings";
    public static final String WITHDRAWAL = "withdrawal";
    public static final String BANK_ACCOUNT = "bank-account";
    public static final String PAYOUT_BATCH = "payout-batch";
    public static final String PAN = "pan";
    public static final String PRODUCT = "product";
    public static final String GST_RATE = "gst-rate";
    public static final String WAREHOUSE = "warehouse";
    public static final String GRIEVANCE = "grievance";
    public static final String KYC_DOCUMENT = "kyc-document";
    public static final String COMMISSION_DEAD_LETTER = "commission-dead-letter";

    private AuditSubjects() {
    }
}
