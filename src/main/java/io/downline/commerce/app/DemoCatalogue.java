package io.downline.commerce.app;

import io.downline.identity.api.Caller;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.commerce.api.CommerceModels.CountryPrice;
import io.downline.commerce.api.CommerceModels.MovementKind;
import io.downline.commerce.api.CommerceModels.ProductRequest;
import io.downline.commerce.api.CommerceModels.StockMovementRequest;
import io.downline.commerce.api.CommerceModels.TaxRate;
import io.downline.commerce.api.CommerceModels.WarehouseRequest;
import io.downline.common.money.Money;
import io.downline.tax.api.Gstin;
import io.smallrye.mutiny.Uni;

/**
 * The demo company's shop: GST rates for its two HSN headings (one of them cut on 22 Sep 2025, as GST 2.0 did for many
 * goods), a warehouse in Kerala with the company's GSTIN there, two products and stock, so that a checkout, payment,
 * invoice and return can be tried at once. Only the local run seeds it.
 */
@ApplicationScoped
public class DemoCatalogue {

    private static final String ACTOR = "demo-seed";
    private static final String KERALA_GSTIN_BODY = "32AAPFU0939F1Z";

    private final CatalogueService catalogue;
    private final WarehouseService warehouses;

    public DemoCatalogue(CatalogueService catalogue, WarehouseService warehouses) {
        this.catalogue = catalogue;
        this.warehouses = warehouses;
    }

    public Uni<Void> seed() {
        Caller seeder = Caller.system(ACTOR);
        List<TaxRate> rates = List.of(
                new TaxRate("IN", "2106", LocalDate.of(2017, 7, 1), new BigDecimal("18")),
                new TaxRate("IN", "2106", LocalDate.of(2025, 9, 22), new BigDecimal("5")),
                new TaxRate("IN", "3304", LocalDate.of(2017, 7, 1), new BigDecimal("18")));
        List<ProductRequest> products = List.of(
                new ProductRequest("NUT-PROT-500", "Protein Shake 500 g", "Whey protein, chocolate flavour", "21069099", "NOS",
                        new BigDecimal("25.00"), new BigDecimal("20.00"), List.of(new CountryPrice("IN", Money.of("1499.00", "INR"))), true),
                new ProductRequest("SKIN-CRM-50", "Face Cream 50 ml", "Daily moisturiser with SPF 30", "33049910", "NOS",
                        new BigDecimal("10.00"), new BigDecimal("8.00"), List.of(new CountryPrice("IN", Money.of("649.00", "INR"))), true));
        WarehouseRequest kochi = new WarehouseRequest("KOC-1", "Kochi Warehouse", "Door 14/220, Kakkanad", "Kochi", "682030", "32", "IN",
                KERALA_GSTIN_BODY + Gstin.checkCharacter(KERALA_GSTIN_BODY), "KL");
        Uni<Void> seeded = Uni.createFrom().voidItem();
        for (TaxRate rate : rates) {
            seeded = seeded.chain(() -> catalogue.addRate(rate, ACTOR)).replaceWithVoid();
        }
        for (ProductRequest product : products) {
            seeded = seeded.chain(() -> catalogue.create(product, ACTOR)).replaceWithVoid();
        }
        seeded = seeded.chain(() -> warehouses.create(kochi, ACTOR)).replaceWithVoid();
        for (ProductRequest product : products) {
            seeded = seeded.chain(() -> warehouses.move(kochi.code(), new StockMovementRequest(MovementKind.RECEIPT, product.sku(), 500,
                    "Opening stock", Money.of("400.00", "INR"), null), seeder)).replaceWithVoid();
        }
        return seeded;
    }
}
