package io.downline.tax;

import java.time.LocalDate;

/** The Indian financial year, 1 April to 31 March, written "2025-26". Invoice numbers carry its compact form "2526". */
public record FinancialYear(int startYear) {

    public static FinancialYear of(LocalDate date) {
        return new FinancialYear(date.getMonthValue() >= 4 ? date.getYear() : date.getYear() - 1);
    }

    public String label() {
        return String.format("%d-%02d", startYear, (startYear + 1) % 100);
    }

    public String compact() {
        return String.format("%02d%02d", startYear % 100, (startYear + 1) % 100);
    }

    @Override
    public String toString() {
        return label();
    }
}
