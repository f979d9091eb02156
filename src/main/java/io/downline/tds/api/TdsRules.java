package io.downline.tds.api;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

import io.downline.tax.api.FinancialYear;

/**
 * The dated TDS rules for commission: each table maps the first day (or first financial year) a value applies to
 * that value, and a value holds until the next row. A change in law is one new row.
 */
public final class TdsRules {

    private final NavigableMap<LocalDate, BigDecimal> ratePercentWithPan;
    private final NavigableMap<LocalDate, BigDecimal> ratePercentWithoutPan;
    private final NavigableMap<Integer, BigDecimal> thresholdByFinancialYearStart;
    private final NavigableMap<LocalDate, String> sectionFrom;

    private TdsRules(Map<LocalDate, BigDecimal> ratePercentWithPan, Map<LocalDate, BigDecimal> ratePercentWithoutPan,
            Map<Integer, BigDecimal> thresholdByFinancialYearStart, Map<LocalDate, String> sectionFrom) {
        this.ratePercentWithPan = new TreeMap<>(ratePercentWithPan);
        this.ratePercentWithoutPan = new TreeMap<>(ratePercentWithoutPan);
        this.thresholdByFinancialYearStart = new TreeMap<>(thresholdByFinancialYearStart);
        this.sectionFrom = new TreeMap<>(sectionFrom);
    }

    /**
     * India, from FY 2021-22: earlier years had other rates (3.75% in the 2020-21 relief) that nobody has asked us to
     * model, so dates before the first row are refused rather than guessed.
     */
    public static TdsRules india() {
        return new TdsRules(
                Map.of(
                        LocalDate.of(2021, 4, 1), new BigDecimal("5.00"),
                        LocalDate.of(2024, 10, 1), new BigDecimal("2.00")),
                // Section 206AA: no PAN, or an inoperative one
                Map.of(
                        LocalDate.of(2021, 4, 1), new BigDecimal("20.00")),
                Map.of(
                        2021, new BigDecimal("15000.00"),
                        2025, new BigDecimal("20000.00")),
                // Section 393 of the Income-tax Act 2025 replaces 194H from 1 April 2026
                Map.of(
                        LocalDate.of(2021, 4, 1), "194H",
                        LocalDate.of(2026, 4, 1), "393"));
    }

    /** The rate in percent, such as 2.00 for 2%. */
    public BigDecimal rateOn(LocalDate creditedOn, boolean panOperative) {
        Objects.requireNonNull(creditedOn, "creditedOn");
        return inForce(panOperative ? ratePercentWithPan : ratePercentWithoutPan, creditedOn, "rate");
    }

    /** Credits up to this yearly total carry no TDS; exceeding it taxes the whole year. */
    public BigDecimal thresholdFor(FinancialYear year) {
        Objects.requireNonNull(year, "year");
        return inForce(thresholdByFinancialYearStart, year.startYear(), "threshold");
    }

    public String sectionOn(LocalDate creditedOn) {
        Objects.requireNonNull(creditedOn, "creditedOn");
        return inForce(sectionFrom, creditedOn, "section");
    }

    private static <K, V> V inForce(NavigableMap<K, V> table, K key, String what) {
        Map.Entry<K, V> row = table.floorEntry(key);
        if (row == null) {
            throw new IllegalArgumentException("no TDS " + what + " is known for " + key);
        }
        return row.getValue();
    }
}
