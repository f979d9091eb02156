package io.downline.tax.app;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.downline.common.money.Money;
import io.downline.tax.api.InvoiceDocument.DocumentTotals;
import io.downline.tax.api.InvoiceDocument.HsnRow;
import io.downline.tax.api.InvoiceDocument.Line;
import io.downline.tax.api.InvoiceDocument.Party;
import io.downline.tax.api.DocumentType;
import io.downline.tax.api.FinancialYear;
import io.downline.tax.api.InvoiceDocument;
import io.downline.tax.api.LineTax;
import io.downline.tax.api.SupplyType;
import io.downline.tax.api.TaxedLine;
import io.downline.tax.api.Totals;

/** Builds the issued document from the taxed lines: line amounts, the HSN summary, totals, amount in words and the IRN. */
public final class InvoiceDocuments {

    private InvoiceDocuments() {
    }

    /** What a document is about; the numbers come from the allocator, the lines from the tax engine. */
    public record Issue(UUID id, DocumentType type, String number, FinancialYear year, LocalDate date, Instant issuedAt, UUID orderId,
            InvoiceDocument.Original original, Party seller, Party buyer, Party delivery, SupplyType supplyType, String currency,
            List<TaxedLine> lines, String signatory) {
    }

    public static InvoiceDocument build(Issue issue) {
        String currency = issue.currency();
        List<Line> lines = new ArrayList<>();
        Map<String, HsnRow> summary = new TreeMap<>();
        int slNo = 0;
        for (TaxedLine t : issue.lines()) {
            LineTax tax = t.tax();
            lines.add(new Line(++slNo, t.description(), t.hsn(), t.quantity(), t.unit(), money(t.unitPrice(), currency),
                    money(t.taxable(), currency), money(LineTax.ZERO, currency), money(t.taxable(), currency), t.rate(),
                    money(tax.cgst(), currency), money(tax.sgst(), currency), money(tax.utgst(), currency), money(tax.igst(), currency),
                    money(tax.vat(), currency), money(t.total(), currency)));
            summary.merge(t.hsn() + "|" + t.rate().toPlainString(), hsnRow(t, currency), InvoiceDocuments::add);
        }
        Totals totals = Totals.of(issue.lines());
        DocumentTotals documentTotals = new DocumentTotals(money(totals.taxable(), currency), money(totals.cgst(), currency),
                money(totals.sgst(), currency), money(totals.utgst(), currency), money(totals.igst(), currency),
                money(totals.vat(), currency), money(totals.tax(), currency), money(totals.roundOff(), currency),
                money(totals.total(), currency));
        // an IRN exists only for B2B documents of an Indian supplier
        String irn = issue.buyer().taxId() != null && "IN".equals(issue.seller().country())
                ? Irn.of(issue.seller().taxId(), issue.year(), issue.type(), issue.number()) : null;
        String title = issue.type() == DocumentType.CRN ? "Credit Note" : "Tax Invoice";
        return new InvoiceDocument(issue.id(), issue.type(), title, issue.number(), issue.year().label(), issue.date(), issue.issuedAt(),
                issue.orderId(), issue.original(), issue.seller(), issue.buyer(), issue.delivery(),
                new InvoiceDocument.Place(issue.delivery().region(), issue.delivery().regionName()), false, issue.supplyType(), currency,
                lines, new ArrayList<>(summary.values()), documentTotals, AmountInWords.of(totals.total(), currency), irn,
                issue.signatory());
    }

    private static HsnRow hsnRow(TaxedLine t, String currency) {
        LineTax tax = t.tax();
        return new HsnRow(t.hsn(), t.rate(), t.quantity(), money(t.taxable(), currency), money(tax.cgst(), currency),
                money(tax.sgst(), currency), money(tax.utgst(), currency), money(tax.igst(), currency), money(tax.vat(), currency),
                money(tax.total(), currency));
    }

    private static HsnRow add(HsnRow a, HsnRow b) {
        return new HsnRow(a.hsn(), a.rate(), a.quantity() + b.quantity(), a.taxable().plus(b.taxable()), a.cgst().plus(b.cgst()),
                a.sgst().plus(b.sgst()), a.utgst().plus(b.utgst()), a.igst().plus(b.igst()), a.vat().plus(b.vat()),
                a.totalTax().plus(b.totalTax()));
    }

    private static Money money(BigDecimal amount, String currency) {
        return Money.of(amount, currency);
    }
}
