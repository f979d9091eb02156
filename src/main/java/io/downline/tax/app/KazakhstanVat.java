package io.downline.tax.app;

import java.math.BigDecimal;
import java.time.ZoneId;

import jakarta.enterprise.context.ApplicationScoped;
import io.downline.tax.api.LineTax;
import io.downline.tax.api.SupplyType;
import io.downline.tax.api.TaxStrategy;

/** Kazakhstan: one VAT on every sale, whatever the region (12% until 31 Dec 2025, 16% from 1 Jan 2026, as dated rates). */
@ApplicationScoped
public class KazakhstanVat implements TaxStrategy {

    @Override
    public String country() {
        return "KZ";
    }

    @Override
    public String currency() {
        return "KZT";
    }

    @Override
    public ZoneId zone() {
        return ZoneId.of("Asia/Almaty");
    }

    @Override
    public String regionProblem(String region) {
        return region != null && region.matches("[A-Z0-9]{1,10}") ? null : "must be a region code of 1 to 10 letters or digits";
    }

    @Override
    public SupplyType supplyType(String supplierRegion, String placeOfSupply) {
        return SupplyType.VAT;
    }

    @Override
    public LineTax tax(SupplyType type, BigDecimal taxable, BigDecimal ratePercent) {
        if (type != SupplyType.VAT) {
            throw new IllegalArgumentException("Kazakhstan levies VAT only");
        }
        return new LineTax(LineTax.ZERO, LineTax.ZERO, LineTax.ZERO, LineTax.ZERO, TaxStrategy.percent(taxable, ratePercent));
    }
}
