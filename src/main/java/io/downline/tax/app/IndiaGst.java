package io.downline.tax.app;

import java.math.BigDecimal;
import java.time.ZoneId;

import jakarta.enterprise.context.ApplicationScoped;
import io.downline.tax.api.LineTax;
import io.downline.tax.api.StateCodes;
import io.downline.tax.api.SupplyType;
import io.downline.tax.api.TaxStrategy;

/**
 * GST on goods. Place of supply is the delivery state. The same state as the supplier: CGST + SGST at half the rate
 * each, or CGST + UTGST within a Union Territory without legislature; another state: IGST at the full rate. CGST and
 * SGST are each rounded, so an intra-state split can differ by a paisa from the IGST figure of the same line.
 */
@ApplicationScoped
public class IndiaGst implements TaxStrategy {

    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    @Override
    public String country() {
        return "IN";
    }

    @Override
    public String currency() {
        return "INR";
    }

    @Override
    public ZoneId zone() {
        return ZoneId.of("Asia/Kolkata");
    }

    @Override
    public String regionProblem(String region) {
        return StateCodes.valid(region) ? null : "must be a GST state code such as 27 (Maharashtra)";
    }

    @Override
    public SupplyType supplyType(String supplierState, String placeOfSupply) {
        if (!supplierState.equals(placeOfSupply)) {
            return SupplyType.INTER_STATE;
        }
        return StateCodes.unionTerritoryWithoutLegislature(placeOfSupply) ? SupplyType.INTRA_UNION_TERRITORY : SupplyType.INTRA_STATE;
    }

    @Override
    public LineTax tax(SupplyType type, BigDecimal taxable, BigDecimal ratePercent) {
        BigDecimal half = ratePercent.divide(TWO);
        return switch (type) {
            case INTRA_STATE -> new LineTax(TaxStrategy.percent(taxable, half), TaxStrategy.percent(taxable, half), LineTax.ZERO,
                    LineTax.ZERO, LineTax.ZERO);
            case INTRA_UNION_TERRITORY -> new LineTax(TaxStrategy.percent(taxable, half), LineTax.ZERO, TaxStrategy.percent(taxable, half),
                    LineTax.ZERO, LineTax.ZERO);
            case INTER_STATE -> new LineTax(LineTax.ZERO, LineTax.ZERO, LineTax.ZERO, TaxStrategy.percent(taxable, ratePercent), LineTax.ZERO);
            case VAT -> throw new IllegalArgumentException("India has no VAT on goods");
        };
    }
}
