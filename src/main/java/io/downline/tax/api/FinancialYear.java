package io.downline.tax.api;

import java.time.LocalDate;
import java.time.Month;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An Indian financial year, 1 April to 31 March, labelled like "2025-26" (startYear 2025). */
public record FinancialYear(int startYear) {

    private static final Pattern LABEL = Pattern.compile("(\\d{4})-(\\d{2})");

    public FinancialYear {
        // four digits keep label() and parse() exact inverses of each other
        if (startYear < 1000 || startYear > 9998) {
            throw new IllegalArgumentException("financial year must start between 1000 and 9998: " + startYear);
        }
    }

    public static FinancialYear of(LocalDate date) {
        Objects.requireNonNull(date, "date");
        return new FinancialYear(date.getMonthValue() >= Month.APRIL.getValue() ? date.getYear() : date.getYear() - 1);
    }

    /** Reads "2025-26"; the second part must be the year after the first, so "2025-27" is refused. */
    public static FinancialYear parse(String label) {
        Objects.requireNonNull(label, "label");
        Matcher matcher = LABEL.matcher(label);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("financial year label must look like 2025-26: \"" + label + "\"");
        }
        FinancialYear year = new FinancialYear(Integer.parseInt(matcher.group(1)));
        if (!year.label().equals(label)) {
            throw new IllegalArgumentException("financial year label must name consecutive years: \"" + label + "\"");
        }
        return year;
    }

    public String label() {
        return "%d-%02d".formatted(startYear, (startYear + 1) % 100);
    }

    /** The form invoice numbers carry: "2526" for 2025-26. */
    public String compact() {
        return "%02d%02d".formatted(startYear % 100, (startYear + 1) % 100);
    }

    @Override
    public String toString() {
        return label();
    }

    public LocalDate firstDay() {
        return LocalDate.of(startYear, Month.APRIL, 1);
    }

    public LocalDate lastDay() {
        return LocalDate.of(startYear + 1, Month.MARCH, 31);
    }

    private boolean contains(LocalDate date) {
        return !date.isBefore(firstDay()) && !date.isAfter(lastDay());
    }

    /** 1 for April-June through 4 for January-March. */
    public int quarterOf(LocalDate date) {
        Objects.requireNonNull(date, "date");
        if (!contains(date)) {
            throw new IllegalArgumentException(date + " is outside financial year " + label());
        }
        int monthsIntoYear = (date.getMonthValue() - Month.APRIL.getValue() + 12) % 12;
        return monthsIntoYear / 3 + 1;
    }

    public LocalDate quarterStart(int quarter) {
        if (quarter < 1 || quarter > 4) {
            throw new IllegalArgumentException("quarter must be 1 to 4: " + quarter);
        }
        return firstDay().plusMonths(3L * (quarter - 1));
    }

    public LocalDate quarterEnd(int quarter) {
        return quarterStart(quarter).plusMonths(3).minusDays(1);
    }
}
