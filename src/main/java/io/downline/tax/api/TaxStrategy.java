package io.downline.tax.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneId;

/**
 * How one country taxes a sale of goods: which taxes apply between a supplier region and a place of supply, and the tax
 * of one invoice line. Rates are not part of the strategy: they are dated data (table tax_rate).
 */
public interface TaxStrategy {

    String country();

    String currency();

    /** The zone whose calendar dates invoices (and so decides the rate in force and the financial year). */
    ZoneId zone();

    /** Why the region is not one of this country's, or null when it is. */
    String regionProblem(String region);

    SupplyType supplyType(String supplierRegion, String placeOfSupply);

    /** The taxes of one line: each tax rounded half-up to the minor unit on its own. */
    LineTax tax(SupplyType type, BigDecimal taxable, BigDecimal ratePercent);

    /** A percentage of an amount, rounded half-up to two decimals. */
    static BigDecimal percent(BigDecimal amount, BigDecimal ratePercent) {
        return amount.multiply(ratePercent).divide(BigDecimal.valueOf(100)).setScale(2, RoundingMode.HALF_UP);
    }
}
