package io.downline.tax.api;

import java.math.BigDecimal;

/** One priced and taxed line: the taxable value is unit price times quantity, the tax per the country's strategy. */
public record TaxedLine(String description, String hsn, String unit, int quantity, BigDecimal unitPrice, BigDecimal taxable,
        BigDecimal rate, LineTax tax) {

    public BigDecimal total() {
        return taxable.add(tax.total());
    }
}
