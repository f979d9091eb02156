package io.downline.tax.app;

import io.downline.tax.api.TaxStrategies;

import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.downline.common.problem.ProblemException;
import io.downline.tax.api.TaxStrategy;

/** The tax strategy of each country the company sells in. */
@ApplicationScoped
public class CountryTaxStrategies implements TaxStrategies {

    private final Map<String, TaxStrategy> byCountry = new TreeMap<>();

    public CountryTaxStrategies(Instance<TaxStrategy> strategies) {
        strategies.forEach(strategy -> byCountry.put(strategy.country(), strategy));
    }

    /** The country's strategy; a country without one is a validation problem of the named field. */
    @Override
    public TaxStrategy of(String country, String field) {
        TaxStrategy strategy = byCountry.get(country);
        if (strategy == null) {
            throw ProblemException.invalidField(field, "must be a country this service taxes: " + String.join(", ", byCountry.keySet()));
        }
        return strategy;
    }
}
