package io.downline.tax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import io.downline.tax.api.FinancialYear;

class FinancialYearTest {

    private static final FinancialYear FY_2025_26 = new FinancialYear(2025);

    @Test
    void labelsNameBothCalendarYears() {
        assertEquals("2025-26", FY_2025_26.label());
        assertEquals("1999-00", new FinancialYear(1999).label());
        assertEquals("2009-10", new FinancialYear(2009).label());
    }

    @Test
    void yearRollsOverBetween31MarchAnd1April() {
        assertEquals("2024-25", FinancialYear.of(LocalDate.of(2025, 3, 31)).label());
        assertEquals("2025-26", FinancialYear.of(LocalDate.of(2025, 4, 1)).label());
        assertEquals(FY_2025_26, FinancialYear.of(LocalDate.of(2026, 3, 31)));
        assertEquals(LocalDate.of(2025, 4, 1), FY_2025_26.firstDay());
        assertEquals(LocalDate.of(2026, 3, 31), FY_2025_26.lastDay());
    }

    @ParameterizedTest
    @CsvSource({
            "2025-04-01, 1", "2025-06-30, 1",
            "2025-07-01, 2", "2025-09-30, 2",
            "2025-10-01, 3", "2025-12-31, 3",
            "2026-01-01, 4", "2026-03-31, 4" })
    void quartersRunAprilJuneThroughJanuaryMarch(LocalDate date, int quarter) {
        assertEquals(quarter, FY_2025_26.quarterOf(date));
    }

    @ParameterizedTest
    @CsvSource({
            "1, 2025-04-01, 2025-06-30",
            "2, 2025-07-01, 2025-09-30",
            "3, 2025-10-01, 2025-12-31",
            "4, 2026-01-01, 2026-03-31" })
    void quarterBoundaries(int quarter, LocalDate start, LocalDate end) {
        assertEquals(start, FY_2025_26.quarterStart(quarter));
        assertEquals(end, FY_2025_26.quarterEnd(quarter));
    }

    @Test
    void quarterOutsideTheYearIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FY_2025_26.quarterOf(LocalDate.of(2025, 3, 31)));
        assertThrows(IllegalArgumentException.class, () -> FY_2025_26.quarterOf(LocalDate.of(2026, 4, 1)));
        assertThrows(IllegalArgumentException.class, () -> FY_2025_26.quarterStart(0));
        assertThrows(IllegalArgumentException.class, () -> FY_2025_26.quarterEnd(5));
    }

    @Test
    void parseReadsTheLabelBack() {
        assertEquals(FY_2025_26, FinancialYear.parse("2025-26"));
        assertEquals(new FinancialYear(1999), FinancialYear.parse("1999-00"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "2025-27", "2025-25", "1999-01", "2025/26", "25-26", "2025-2026", "2025-6", "", " 2025-26",
            "FY2025-26" })
    void parseRefusesMalformedOrInconsistentLabels(String label) {
        assertThrows(IllegalArgumentException.class, () -> FinancialYear.parse(label));
    }
}
