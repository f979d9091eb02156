package io.downline.tax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import io.downline.tax.api.DocumentType;
import io.downline.tax.api.FinancialYear;
import io.downline.tax.api.Gstin;
import io.downline.tax.app.InvoiceNumbers;
import io.downline.tax.app.Irn;

/** GSTIN checksums, document numbers under Rule 46, financial years and the IRN. */
class IdentifiersTest {

    @Test
    void validGstinsPassTheChecksum() {
        assertTrue(Gstin.valid("27AAPFU0939F1ZV"));
        assertTrue(Gstin.valid("29AAGCB7383J1Z4"));
        assertTrue(Gstin.valid("38AABCU9603R1ZK"), "Ladakh");
        assertTrue(Gstin.valid("97AABCU9603R1ZG"), "Other Territory");
        assertEquals('V', Gstin.checkCharacter("27AAPFU0939F1Z"));
    }

    @Test
    void invalidGstinsAreRefusedWithTheReason() {
        assertEquals("has a wrong check character", Gstin.problem("27AAPFU0939F1ZW"));
        assertEquals("has a wrong check character", Gstin.problem("38AABCU9603R1ZG"), "the 97 check character on a 38 number");
        assertTrue(Gstin.problem("25AABCU9603R1ZK").contains("not a GST state code"), "25 is retired");
        assertTrue(Gstin.problem("27AAPFU0939F1Z").startsWith("must be 15 characters"));
        assertTrue(Gstin.problem("27aapfu0939f1zv").startsWith("must be 15 characters"));
        assertFalse(Gstin.valid(null));
    }

    @Test
    void documentNumbersFollowRule46() {
        assertEquals("MH/2526/000001", InvoiceNumbers.format("MH", new FinancialYear(2025), 1));
        assertEquals("MHC/2526/000042", InvoiceNumbers.format(InvoiceNumbers.series("MH", DocumentType.CRN), new FinancialYear(2025), 42));
        assertEquals("ABCC/2526/999999", InvoiceNumbers.format("ABCC", new FinancialYear(2025), 999_999));
        assertThrows(IllegalStateException.class, () -> InvoiceNumbers.format("ABCC", new FinancialYear(2025), 1_000_000),
                "17 characters");
        assertTrue(InvoiceNumbers.valid("MH/2526/000001"));
        assertFalse(InvoiceNumbers.valid("0MH/2526/1"), "starts with 0");
        assertFalse(InvoiceNumbers.valid("/MH/2526/1"), "starts with /");
        assertFalse(InvoiceNumbers.valid("-MH/2526/1"), "starts with -");
        assertFalse(InvoiceNumbers.valid("MHC/2526/0000001X"), "17 characters");
        assertTrue(InvoiceNumbers.valid("MHC/2526/000001X"), "16 characters");
        assertFalse(InvoiceNumbers.valid("mh/2526/1"), "lower case");
        assertFalse(InvoiceNumbers.valid("MH_2526_1"), "underscore");
        assertTrue(InvoiceNumbers.validSeries("MH"));
        assertFalse(InvoiceNumbers.validSeries("1MH"));
        assertFalse(InvoiceNumbers.validSeries("MUMB"));
    }

    @Test
    void theFinancialYearRollsOverOnTheFirstOfApril() {
        assertEquals("2025-26", FinancialYear.of(LocalDate.of(2026, 3, 31)).label());
        assertEquals("2026-27", FinancialYear.of(LocalDate.of(2026, 4, 1)).label());
        assertEquals("2526", FinancialYear.of(LocalDate.of(2025, 4, 1)).compact());
        assertEquals("9900", FinancialYear.of(LocalDate.of(2099, 12, 1)).compact());
        assertEquals("2099-00", FinancialYear.of(LocalDate.of(2100, 1, 1)).label());
    }

    @Test
    void theIrnIsTheSha256OfGstinYearTypeAndNumber() {
        // echo -n "27AAPFU0939F1ZV2025-26INVMH/2526/000001" | sha256sum
        assertEquals(IRN_OF_FIRST_INVOICE, Irn.of("27AAPFU0939F1ZV", new FinancialYear(2025), DocumentType.INV, "MH/2526/000001"));
        assertFalse(IRN_OF_FIRST_INVOICE.equals(Irn.of("27AAPFU0939F1ZV", new FinancialYear(2025), DocumentType.CRN, "MH/2526/000001")));
    }

    static final String IRN_OF_FIRST_INVOICE = "5fc41767fce42a0d8428417e3695faccf826f26d0fcd6446c6a3569de3e62252";
}
