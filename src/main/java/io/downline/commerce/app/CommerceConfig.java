package io.downline.commerce.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Company details and rules of the commerce features (application.properties, "downline.commerce"). */
@ConfigMapping(prefix = "downline.commerce")
public interface CommerceConfig {

    /** The selling company's legal name, printed on every invoice (its registrations are the warehouses' tax ids). */
    String sellerName();

    /** Who signs invoices for the company. */
    @WithDefault("Authorised Signatory")
    String signatory();

    /** Days after payment within which goods may be returned (the direct-selling guidelines' 30 days by default). */
    @WithDefault("30")
    int returnWindowDays();

    /** How the fulfilling warehouse is chosen among those that have every line in stock. */
    @WithDefault("SAME_REGION_FIRST")
    WarehouseRule warehouseRule();

    /** Shared secret of the payment gateway's HMAC-SHA256 webhook signatures. */
    String webhookSecret();

    enum WarehouseRule {
        /** A warehouse in the delivery region if one has the stock, else the one with the most stock of the products */
        SAME_REGION_FIRST,
        /** The warehouse with the most stock of the ordered products, wherever it is */
        MOST_STOCK
    }
}
