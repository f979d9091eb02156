package io.downline.tds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.downline.tds.app.TdsCalculator.Credit;
import io.downline.tds.app.TdsCalculator.Outcome;
import io.downline.tds.app.TdsCalculator.TaxLine;
import io.downline.tds.app.TdsCalculator.YearState;

import io.downline.tax.api.FinancialYear;
import io.downline.tds.api.TdsRules;
import io.downline.tds.app.TdsCalculator;

/** Worked examples; every expected amount is computed by hand in the comment beside it. */
class TdsCalculatorTest {

    private static final FinancialYear FY_2024_25 = FinancialYear.parse("2024-25");
    private static final FinancialYear FY_2025_26 = FinancialYear.parse("2025-26");
    private static final FinancialYear FY_2026_27 = FinancialYear.parse("2026-27");
    private static final boolean WITH_PAN = true;
    private static final boolean WITHOUT_PAN = false;

    private final TdsCalculator calculator = new TdsCalculator(TdsRules.india());

    @Test
    void belowThresholdNothingIsTaxedAndCreditsWaitAsUntaxed() {
        Credit first = credit(1, "2025-05-10", "5000.00");
        Credit second = credit(2, "2025-08-10", "6000.00");

        Outcome outcome = calculator.apply(YearState.empty(FY_2025_26), WITH_PAN, List.of(first, second));

        assertEquals(List.of(), outcome.lines());
        assertEquals(Map.of(1L, rs("0.00"), 2L, rs("0.00")), outcome.recovered());
        assertEquals(new YearState(FY_2025_26, rs("11000.00"), false, rs("0.00"), List.of(first, second)),
                outcome.after());
    }

    @Test
    void exactlyAtThresholdIsNotTaxedButOnePaisaMoreCatchesUpTheWholeYear() {
        Credit first = credit(1, "2024-05-10", "10000.00");
        Credit second = credit(2, "2024-06-10", "5000.00");
        Outcome atThreshold = calculator.apply(YearState.empty(FY_2024_25), WITH_PAN, List.of(first, second));
        assertEquals(List.of(), atThreshold.lines());
        assertEquals(new YearState(FY_2024_25, rs("15000.00"), false, rs("0.00"), List.of(first, second)),
                atThreshold.after());

        Outcome crossed = calculator.apply(atThreshold.after(), WITH_PAN, List.of(credit(3, "2024-06-20", "0.01")));

        assertEquals(List.of(
                // 10,000.00 x 5% = 500.00 and 5,000.00 x 5% = 250.00, deducted with credit 3 in Q1
                line(1, 3, "2024-05-10", "10000.00", "5.00", "500.00", "194H", 1, true),
                line(2, 3, "2024-06-10", "5000.00", "5.00", "250.00", "194H", 1, true),
                // 0.01 x 5% = 0.0005, rounds half-up to 0.00
                line(3, 3, "2024-06-20", "0.01", "5.00", "0.00", "194H", 1, false)), crossed.lines());
        // 750.00 due but credit 3 is only 0.01: 749.99 waits for later credits
        assertEquals(Map.of(3L, rs("0.01")), crossed.recovered());
        assertEquals(new YearState(FY_2024_25, rs("15000.01"), true, rs("749.99"), List.of()), crossed.after());
    }

    @Test
    void singleCreditOfFifteenThousandAndOnePaisaCrosses() {
        Outcome outcome = calculator.apply(YearState.empty(FY_2024_25), WITH_PAN,
                List.of(credit(1, "2024-05-10", "15000.01")));

        // 15,000.01 x 5% = 750.0005, rounds to 750.00
        assertEquals(List.of(line(1, 1, "2024-05-10", "15000.01", "5.00", "750.00", "194H", 1, false)),
                outcome.lines());
        assertEquals(Map.of(1L, rs("750.00")), outcome.recovered());
    }

    @Test
    void crossingCreditCarriesTheCatchUpOfEarlierCredits() {
        // 8,000 + 9,000 = 17,000 stays within 20,000; + 4,000 = 21,000 exceeds it
        Outcome outcome = calculator.apply(YearState.empty(FY_2025_26), WITH_PAN, List.of(
                credit(1, "2025-05-10", "8000.00"),
                credit(2, "2025-08-10", "9000.00"),
                credit(3, "2025-11-10", "4000.00")));

        assertEquals(List.of(
                // 8,000 x 2% = 160.00; 9,000 x 2% = 180.00; both deducted on 10 Nov 2025, so Q3
                line(1, 3, "2025-05-10", "8000.00", "2.00", "160.00", "194H", 3, true),
                line(2, 3, "2025-08-10", "9000.00", "2.00", "180.00", "194H", 3, true),
                // 4,000 x 2% = 80.00
                line(3, 3, "2025-11-10", "4000.00", "2.00", "80.00", "194H", 3, false)), outcome.lines());
        // 160 + 180 + 80 = 420.00 = 2% of 21,000, all taken from credit 3
        assertEquals(Map.of(1L, rs("0.00"), 2L, rs("0.00"), 3L, rs("420.00")), outcome.recovered());
        assertEquals(new YearState(FY_2025_26, rs("21000.00"), true, rs("0.00"), List.of()), outcome.after());
    }

    @Test
    void afterCrossingEachCreditIsTaxedAtTheRateOfItsOwnDate() {
        Outcome outcome = calculator.apply(YearState.empty(FY_2024_25), WITH_PAN, List.of(
                credit(1, "2024-07-15", "16000.00"),
                credit(2, "2024-09-30", "1000.00"),
                credit(3, "2024-10-01", "1000.00"),
                credit(4, "2024-10-02", "100.25")));

        assertEquals(List.of(
                line(1, 1, "2024-07-15", "16000.00", "5.00", "800.00", "194H", 2, false),
                line(2, 2, "2024-09-30", "1000.00", "5.00", "50.00", "194H", 2, false),
                line(3, 3, "2024-10-01", "1000.00", "2.00", "20.00", "194H", 3, false),
                // 100.25 x 2% = 2.005: half-up gives 2.01 where half-even would give 2.00
                line(4, 4, "2024-10-02", "100.25", "2.00", "2.01", "194H", 3, false)), outcome.lines());
        assertEquals(Map.of(1L, rs("800.00"), 2L, rs("50.00"), 3L, rs("20.00"), 4L, rs("2.01")),
                outcome.recovered());
        assertEquals(rs("18100.25"), outcome.after().creditedGross());
    }

    @Test
    void catchUpAcrossTheRateChangeUsesEachCreditsOwnRate() {
        // 10,000 on 30 Sep stays untaxed; 10,000 + 6,000 = 16,000 exceeds 15,000 on 1 Oct
        Outcome outcome = calculator.apply(YearState.empty(FY_2024_25), WITH_PAN, List.of(
                credit(1, "2024-09-30", "10000.00"),
                credit(2, "2024-10-01", "6000.00")));

        assertEquals(List.of(
                // 10,000 x 5% = 500.00, but deducted on 1 Oct so reported in Q3
                line(1, 2, "2024-09-30", "10000.00", "5.00", "500.00", "194H", 3, true),
                // 6,000 x 2% = 120.00
                line(2, 2, "2024-10-01", "6000.00", "2.00", "120.00", "194H", 3, false)), outcome.lines());
        assertEquals(Map.of(1L, rs("0.00"), 2L, rs("620.00")), outcome.recovered());
    }

    @Test
    void sameAmountIsTaxedUnderTheFifteenThousandThresholdButNotUnderTwentyThousand() {
        Outcome fy2024 = calculator.apply(YearState.empty(FY_2024_25), WITH_PAN,
                List.of(credit(1, "2024-12-01", "18000.00")));
        // 18,000 > 15,000: 18,000 x 2% = 360.00
        assertEquals(List.of(line(1, 1, "2024-12-01", "18000.00", "2.00", "360.00", "194H", 3, false)),
                fy2024.lines());

        Credit sameInNextYear = credit(2, "2025-12-01", "18000.00");
        Outcome fy2025 = calculator.apply(YearState.empty(FY_2025_26), WITH_PAN, List.of(sameInNextYear));
        // 18,000 <= 20,000
        assertEquals(List.of(), fy2025.lines());
        assertEquals(new YearState(FY_2025_26, rs("18000.00"), false, rs("0.00"), List.of(sameInNextYear)),
                fy2025.after());
    }

    @Test
    void deductionsFrom1April2026AreUnderSection393() {
        Outcome outcome = calculator.apply(YearState.empty(FY_2026_27), WITH_PAN,
                List.of(credit(1, "2026-04-15", "25000.00")));

        // 25,000 > 20,000: 25,000 x 2% = 500.00
        assertEquals(List.of(line(1, 1, "2026-04-15", "25000.00", "2.00", "500.00", "393", 1, false)),
                outcome.lines());
    }

    @Test
    void withoutPanTaxIsTwentyPercentAndWhatACreditCannotCoverWaitsForTheNextCall() {
        Credit untaxed = credit(1, "2025-04-20", "19990.00");
        Outcome first = calculator.apply(YearState.empty(FY_2025_26), WITHOUT_PAN, List.of(untaxed));
        assertEquals(List.of(), first.lines());

        // 19,990 + 20 = 20,010 exceeds 20,000
        Outcome crossing = calculator.apply(first.after(), WITHOUT_PAN, List.of(credit(2, "2025-06-01", "20.00")));
        assertEquals(List.of(
                // 19,990 x 20% = 3,998.00; 20 x 20% = 4.00; together 20% of 20,010 = 4,002.00
                line(1, 2, "2025-04-20", "19990.00", "20.00", "3998.00", "194H", 1, true),
                line(2, 2, "2025-06-01", "20.00", "20.00", "4.00", "194H", 1, false)), crossing.lines());
        // a credit of 20.00 gives up at most 20.00: 4,002.00 - 20.00 = 3,982.00 outstanding
        assertEquals(Map.of(2L, rs("20.00")), crossing.recovered());
        assertEquals(new YearState(FY_2025_26, rs("20010.00"), true, rs("3982.00"), List.of()), crossing.after());

        Outcome next = calculator.apply(crossing.after(), WITHOUT_PAN, List.of(credit(3, "2025-07-01", "10000.00")));
        // 10,000 x 20% = 2,000.00
        assertEquals(List.of(line(3, 3, "2025-07-01", "10000.00", "20.00", "2000.00", "194H", 2, false)),
                next.lines());
        // 3,982.00 outstanding + 2,000.00 = 5,982.00, within the 10,000.00 credit
        assertEquals(Map.of(3L, rs("5982.00")), next.recovered());
        assertEquals(new YearState(FY_2025_26, rs("30010.00"), true, rs("0.00"), List.of()), next.after());
    }

    static Stream<Arguments> everySplitWithAndWithoutPan() {
        return Stream.of(WITH_PAN, WITHOUT_PAN).flatMap(panOperative -> IntStream
                .rangeClosed(0, carriedCredits().size()).mapToObj(split -> Arguments.of(panOperative, split)));
    }

    @ParameterizedTest(name = "panOperative={0}, first call takes {1} credits")
    @MethodSource("everySplitWithAndWithoutPan")
    void stateCarriedAcrossTwoCallsGivesTheSameResultAsOneCall(boolean panOperative, int split) {
        List<Credit> credits = carriedCredits();
        Outcome whole = calculator.apply(YearState.empty(FY_2025_26), panOperative, credits);

        Outcome firstPart = calculator.apply(YearState.empty(FY_2025_26), panOperative, credits.subList(0, split));
        Outcome secondPart = calculator.apply(firstPart.after(), panOperative,
                credits.subList(split, credits.size()));

        List<TaxLine> lines = new ArrayList<>(firstPart.lines());
        lines.addAll(secondPart.lines());
        Map<Long, BigDecimal> recovered = new LinkedHashMap<>(firstPart.recovered());
        recovered.putAll(secondPart.recovered());
        assertEquals(whole.lines(), lines);
        assertEquals(whole.recovered(), recovered);
        assertEquals(whole.after(), secondPart.after());
    }

    /** Without PAN the crossing and the next small credit cannot cover the tax, so outstanding tax is carried. */
    private static List<Credit> carriedCredits() {
        return List.of(
                credit(1, "2025-04-20", "19990.00"),
                credit(2, "2025-06-01", "20.00"),
                credit(3, "2025-07-01", "10.00"),
                credit(4, "2025-10-01", "10000.00"),
                credit(5, "2026-03-31", "300.00"));
    }

    @Test
    void postingOrderNotDateOrderDecidesWhichCreditCrosses() {
        // posted first but dated later: 15,000 stays untaxed; the 6,000 posted next makes 21,000
        Outcome outcome = calculator.apply(YearState.empty(FY_2025_26), WITH_PAN, List.of(
                credit(1, "2025-11-10", "15000.00"),
                credit(2, "2025-05-10", "6000.00")));

        assertEquals(List.of(
                // 15,000 x 2% = 300.00; 6,000 x 2% = 120.00; deduction quarter follows the crossing credit's date
                line(1, 2, "2025-11-10", "15000.00", "2.00", "300.00", "194H", 1, true),
                line(2, 2, "2025-05-10", "6000.00", "2.00", "120.00", "194H", 1, false)), outcome.lines());
        assertEquals(Map.of(1L, rs("0.00"), 2L, rs("420.00")), outcome.recovered());
    }

    @Test
    void grossMustBePositiveAndFitInPaise() {
        assertThrows(IllegalArgumentException.class, () -> credit(1, "2025-05-10", "0.00"));
        assertThrows(IllegalArgumentException.class, () -> credit(1, "2025-05-10", "-1.00"));
        assertThrows(IllegalArgumentException.class, () -> credit(1, "2025-05-10", "1.001"));
        // a trailing zero is not a third decimal of value
        assertEquals(rs("1.23"), credit(1, "2025-05-10", "1.230").gross());
        assertEquals(rs("500.00"), credit(1, "2025-05-10", "500").gross());
    }

    @Test
    void creditsOutsideTheStatesYearAreRefused() {
        YearState state = YearState.empty(FY_2025_26);
        assertThrows(IllegalArgumentException.class,
                () -> calculator.apply(state, WITH_PAN, List.of(credit(1, "2025-03-31", "100.00"))));
        assertThrows(IllegalArgumentException.class,
                () -> calculator.apply(state, WITH_PAN, List.of(credit(1, "2026-04-01", "100.00"))));
        assertTrue(calculator.apply(state, WITH_PAN, List.of(credit(1, "2026-03-31", "100.00"))).lines().isEmpty());
    }

    @Test
    void aCreditIdCanBePostedOnlyOnce() {
        Credit posted = credit(1, "2025-05-10", "100.00");
        assertThrows(IllegalArgumentException.class,
                () -> calculator.apply(YearState.empty(FY_2025_26), WITH_PAN, List.of(posted, posted)));
        YearState withPosted = calculator.apply(YearState.empty(FY_2025_26), WITH_PAN, List.of(posted)).after();
        assertThrows(IllegalArgumentException.class,
                () -> calculator.apply(withPosted, WITH_PAN, List.of(credit(1, "2025-06-10", "50.00"))));
    }

    @Test
    void aCrossedYearCannotHoldUntaxedCredits() {
        List<Credit> untaxed = List.of(credit(1, "2025-05-10", "100.00"));
        assertThrows(IllegalArgumentException.class,
                () -> new YearState(FY_2025_26, rs("25000.00"), true, rs("0.00"), untaxed));
    }

    private static Credit credit(long id, String creditedOn, String gross) {
        return new Credit(id, LocalDate.parse(creditedOn), new BigDecimal(gross));
    }

    private static TaxLine line(long taxedCreditId, long withCreditId, String creditedOn, String gross,
            String ratePercent, String tax, String section, int quarter, boolean catchUp) {
        return new TaxLine(taxedCreditId, withCreditId, LocalDate.parse(creditedOn), rs(gross), rs(ratePercent),
                rs(tax), section, quarter, catchUp);
    }

    /** Expected amounts are written at scale 2, the scale the calculator returns. */
    private static BigDecimal rs(String amount) {
        return new BigDecimal(amount);
    }
}
