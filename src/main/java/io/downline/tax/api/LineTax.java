package io.downline.tax.api;

import java.math.BigDecimal;

/** The taxes of one line; the ones that do not apply are zero. */
public record LineTax(BigDecimal cgst, BigDecimal sgst, BigDecimal utgst, BigDecimal igst, BigDecimal vat) {

    public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(2);

    public BigDecimal total() {
        return cgst.add(sgst).add(utgst).add(igst).add(vat);
    }
}
