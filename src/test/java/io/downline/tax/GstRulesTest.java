package io.downline.tax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;
import io.downline.tax.api.LineTax;
import io.downline.tax.api.SupplyType;
import io.downline.tax.api.TaxedLine;
import io.downline.tax.api.Totals;
import io.downline.tax.app.AmountInWords;
import io.downline.tax.app.IndiaGst;
import io.downline.tax.app.KazakhstanVat;

/** Worked examples of each GST branch, the paisa split, round-off and Kazakhstan VAT. */
class GstRulesTest {

    private final IndiaGst gst = new IndiaGst();
    private final KazakhstanVat vat = new KazakhstanVat();

    private static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    @Test
    void sameStateIsCgstPlusSgstAtHalfTheRateEach() {
        assertEquals(SupplyType.INTRA_STATE, gst.supplyType("27", "27"));
        // 1000.00 at 18%: CGST 9% = 90.00, SGST 9% = 90.00
        LineTax tax = gst.tax(SupplyType.INTRA_STATE, d("1000.00"), d("18"));
        assertEquals(new LineTax(d("90.00"), d("90.00"), d("0.00"), d("0.00"), d("0.00")), tax);
    }

    @Test
    void anotherStateIsIgstAtTheFullRate() {
        assertEquals(SupplyType.INTER_STATE, gst.supplyType("27", "32"));
        LineTax tax = gst.tax(SupplyType.INTER_STATE, d("1000.00"), d("18"));
        assertEquals(new LineTax(d("0.00"), d("0.00"), d("0.00"), d("180.00"), d("0.00")), tax);
    }

    @Test
    void withinAUnionTerritoryWithoutLegislatureIsCgstPlusUtgst() {
        for (String ut : List.of("04", "26", "31", "35", "38", "97")) {
            assertEquals(SupplyType.INTRA_UNION_TERRITORY, gst.supplyType(ut, ut), ut);
        }
        LineTax tax = gst.tax(SupplyType.INTRA_UNION_TERRITORY, d("500.00"), d("5"));
        assertEquals(new LineTax(d("12.50"), d("0.00"), d("12.50"), d("0.00"), d("0.00")), tax);
        // into a UT from elsewhere is inter-state: IGST
        assertEquals(SupplyType.INTER_STATE, gst.supplyType("27", "04"));
    }

    @Test
    void delhiPuducherryAndJammuAndKashmirAreStatesForGst() {
        for (String state : List.of("07", "34", "01")) {
            assertEquals(SupplyType.INTRA_STATE, gst.supplyType(state, state), state);
        }
    }

    @Test
    void eachHalfIsRoundedSoTheSplitCanDifferFromIgstByAPaisa() {
        // 100.10 at 5%: IGST 5.005 -> 5.01; CGST 2.5025 -> 2.50 and SGST 2.50, together 5.00
        LineTax igst = gst.tax(SupplyType.INTER_STATE, d("100.10"), d("5"));
        LineTax split = gst.tax(SupplyType.INTRA_STATE, d("100.10"), d("5"));
        assertEquals(d("5.01"), igst.igst());
        assertEquals(d("2.50"), split.cgst());
        assertEquals(d("2.50"), split.sgst());
        assertEquals(d("5.00"), split.total());
    }

    @Test
    void halfAPaisaRoundsUp() {
        // 10.10 at 5%: IGST 0.505 -> 0.51
        assertEquals(d("0.51"), gst.tax(SupplyType.INTER_STATE, d("10.10"), d("5")).igst());
    }

    @Test
    void totalsRoundToAWholeRupeeWithTheRoundOffShown() {
        TaxedLine a = line("Shake", d("349.50"), 1, d("18"), gst.tax(SupplyType.INTRA_STATE, d("349.50"), d("18")));
        TaxedLine b = line("Bar", d("100.10"), 1, d("5"), gst.tax(SupplyType.INTRA_STATE, d("100.10"), d("5")));
        Totals totals = Totals.of(List.of(a, b));
        // 349.50 + 31.46 + 31.46 + 100.10 + 2.50 + 2.50 = 517.52 -> 518.00, round-off +0.48
        assertEquals(d("449.60"), totals.taxable());
        assertEquals(d("33.96"), totals.cgst());
        assertEquals(d("33.96"), totals.sgst());
        assertEquals(d("0.48"), totals.roundOff());
        assertEquals(d("518.00"), totals.total());
        TaxedLine c = line("Cream", d("100.40"), 1, d("18"), gst.tax(SupplyType.INTER_STATE, d("100.40"), d("18")));
        assertEquals(d("-0.47"), Totals.of(List.of(c)).roundOff());
    }

    @Test
    void kazakhstanLeviesOneVatWhateverTheRegion() {
        assertEquals(SupplyType.VAT, vat.supplyType("ALA", "AST"));
        assertEquals(d("1600.00"), vat.tax(SupplyType.VAT, d("10000.00"), d("16")).vat());
        assertEquals(d("1200.00"), vat.tax(SupplyType.VAT, d("10000.00"), d("12")).vat());
        assertEquals("KZT", vat.currency());
    }

    @Test
    void regionsAreCheckedPerCountry() {
        assertNull(gst.regionProblem("38"));
        assertNotNull(gst.regionProblem("25"));
        assertNotNull(gst.regionProblem("99"));
        assertNull(vat.regionProblem("ALA"));
    }

    @Test
    void amountsInWordsUseLakhAndCrore() {
        assertEquals("Rupees One Thousand One Hundred Eighty Only", AmountInWords.of(d("1180.00"), "INR"));
        assertEquals("Rupees Twelve Lakh Thirty Four Thousand Five Hundred Sixty Seven and Eighty Nine Paise Only",
                AmountInWords.of(d("1234567.89"), "INR"));
        assertEquals("Rupees Two Crore Five Only", AmountInWords.of(d("20000005"), "INR"));
        assertEquals("Tenge Zero Only", AmountInWords.of(d("0"), "KZT"));
    }

    private static TaxedLine line(String name, BigDecimal taxable, int quantity, BigDecimal rate, LineTax tax) {
        return new TaxedLine(name, "3304", "NOS", quantity, taxable, taxable, rate, tax);
    }
}
