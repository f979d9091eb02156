package io.downline.tax;

import io.downline.common.Hashing;

/** Invoice Reference Number: hex SHA-256 of supplier GSTIN + financial year + document type + document number. */
public final class Irn {

    private Irn() {
    }

    public static String of(String supplierGstin, FinancialYear year, DocumentType type, String number) {
        return Hashing.sha256Hex(supplierGstin + year.label() + type.name() + number);
    }
}
