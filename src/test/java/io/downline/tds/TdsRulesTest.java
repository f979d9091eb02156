package io.downline.tds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import io.downline.tax.api.FinancialYear;
import io.downline.tds.api.TdsRules;

class TdsRulesTest {

    private final TdsRules rules = TdsRules.india();

    @Test
    void rateDropsFromFiveToTwoPercentOn1October2024() {
        assertEquals(new BigDecimal("5.00"), rules.rateOn(LocalDate.of(2024, 9, 30), true));
        assertEquals(new BigDecimal("2.00"), rules.rateOn(LocalDate.of(2024, 10, 1), true));
        assertEquals(new BigDecimal("2.00"), rules.rateOn(LocalDate.of(2026, 4, 1), true));
    }

    @Test
    void withoutOperativePanTheRateIsTwentyPercentEitherSideOfTheChange() {
        assertEquals(new BigDecimal("20.00"), rules.rateOn(LocalDate.of(2024, 9, 30), false));
        assertEquals(new BigDecimal("20.00"), rules.rateOn(LocalDate.of(2024, 10, 1), false));
    }

    @Test
    void thresholdRisesToTwentyThousandFromFy2025_26() {
        assertEquals(new BigDecimal("15000.00"), rules.thresholdFor(FinancialYear.parse("2024-25")));
        assertEquals(new BigDecimal("20000.00"), rules.thresholdFor(FinancialYear.parse("2025-26")));
        assertEquals(new BigDecimal("20000.00"), rules.thresholdFor(FinancialYear.parse("2030-31")));
    }

    @Test
    void sectionBecomes393Under2025ActFrom1April2026() {
        assertEquals("194H", rules.sectionOn(LocalDate.of(2026, 3, 31)));
        assertEquals("393", rules.sectionOn(LocalDate.of(2026, 4, 1)));
    }

    @Test
    void datesBeforeTheTablesAreRefusedRatherThanGuessed() {
        assertThrows(IllegalArgumentException.class, () -> rules.rateOn(LocalDate.of(2021, 3, 31), true));
        assertThrows(IllegalArgumentException.class, () -> rules.thresholdFor(FinancialYear.parse("2020-21")));
        assertThrows(IllegalArgumentException.class, () -> rules.sectionOn(LocalDate.of(2021, 3, 31)));
    }
}
