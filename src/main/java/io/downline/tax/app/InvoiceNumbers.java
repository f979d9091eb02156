package io.downline.tax.app;

import java.util.regex.Pattern;
import io.downline.tax.api.DocumentType;
import io.downline.tax.api.FinancialYear;

/**
 * Document numbers as CGST Rule 46 allows them: at most 16 characters of A-Z, 0-9, '/' and '-', not starting with 0,
 * '/' or '-'. The form is SERIES/FY/NNNNNN, e.g. "MH/2526/000042"; a credit note's series is the invoice series plus C.
 */
public final class InvoiceNumbers {

    public static final int MAX_LENGTH = 16;
    private static final Pattern RULE_46 = Pattern.compile("[A-Z1-9][A-Z0-9/-]{0,15}");
    private static final Pattern SERIES = Pattern.compile("[A-Z][A-Z0-9]{0,2}");

    private InvoiceNumbers() {
    }

    public static boolean valid(String number) {
        return number != null && RULE_46.matcher(number).matches();
    }

    public static boolean validSeries(String series) {
        return series != null && SERIES.matcher(series).matches();
    }

    /** The series of a document type: invoices use the warehouse's series, credit notes the series plus C. */
    public static String series(String warehouseSeries, DocumentType type) {
        return type == DocumentType.CRN ? warehouseSeries + "C" : warehouseSeries;
    }

    public static String format(String series, FinancialYear year, int sequence) {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence numbers start at 1");
        }
        String number = series + "/" + year.compact() + "/" + String.format("%06d", sequence);
        if (!valid(number)) {
            // a series of at most 4 characters (3, plus C for credit notes) leaves room for 999,999 documents a year
            throw new IllegalStateException("Series " + series + " has run out of numbers for " + year.label());
        }
        return number;
    }
}
