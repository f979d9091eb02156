package io.downline.tax.api;

import io.downline.tax.api.TaxStrategy;

/**
 * The tax strategy of a country, for commerce's prices, orders and returns.
 */
public interface TaxStrategies {

    /** The country's strategy; a country without one is a validation problem of the named field. */
    TaxStrategy of(String country, String field);
}
