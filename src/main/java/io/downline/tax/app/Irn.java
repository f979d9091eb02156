package io.downline.tax.app;

import io.downline.common.Hashing;
import io.downline.tax.api.DocumentType;
import io.downline.tax.api.FinancialYear;

/** Invoice Reference Number: hex SHA-256 of supplier GSTIN + financial year + document type + document number. */
public final class Irn {

    private Irn() {
    }

    public static String of(String supplierGstin, FinancialYear year, DocumentType type, String number) {
        return Hashing.sha256Hex(supplierGstin + year.label() + type.name() + number);
    }
}
