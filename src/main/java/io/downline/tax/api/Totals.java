package io.downline.tax.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * Sums of a document's lines. The total is rounded half-up to a whole unit of the currency; roundOff is what that
 * rounding added (negative when it took away), shown on the invoice as the round-off line.
 */
public record Totals(BigDecimal taxable, BigDecimal cgst, BigDecimal sgst, BigDecimal utgst, BigDecimal igst, BigDecimal vat,
        BigDecimal roundOff, BigDecimal total) {

    public static Totals of(List<TaxedLine> lines) {
        BigDecimal taxable = LineTax.ZERO;
        BigDecimal cgst = LineTax.ZERO;
        BigDecimal sgst = LineTax.ZERO;
        BigDecimal utgst = LineTax.ZERO;
        BigDecimal igst = LineTax.ZERO;
        BigDecimal vat = LineTax.ZERO;
        for (TaxedLine line : lines) {
            taxable = taxable.add(line.taxable());
            cgst = cgst.add(line.tax().cgst());
            sgst = sgst.add(line.tax().sgst());
            utgst = utgst.add(line.tax().utgst());
            igst = igst.add(line.tax().igst());
            vat = vat.add(line.tax().vat());
        }
        BigDecimal exact = taxable.add(cgst).add(sgst).add(utgst).add(igst).add(vat);
        BigDecimal total = exact.setScale(0, RoundingMode.HALF_UP).setScale(2);
        return new Totals(taxable, cgst, sgst, utgst, igst, vat, total.subtract(exact), total);
    }

    public BigDecimal tax() {
        return cgst.add(sgst).add(utgst).add(igst).add(vat);
    }
}
