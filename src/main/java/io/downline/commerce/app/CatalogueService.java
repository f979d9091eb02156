package io.downline.commerce.app;

import java.util.HashSet;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.commerce.api.CommerceModels.CountryPrice;
import io.downline.commerce.api.CommerceModels.ProductRequest;
import io.downline.commerce.api.CommerceModels.ProductUpdate;
import io.downline.commerce.api.CommerceModels.ProductView;
import io.downline.commerce.api.CommerceModels.TaxRate;
import io.downline.audit.api.AuditEvent;
import io.downline.audit.api.AuditSubjects;
import io.downline.audit.api.AuditTrail;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.problem.ProblemException;
import io.downline.tax.api.TaxStrategies;
import io.downline.tax.api.TaxStrategy;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.downline.commerce.store.CatalogueRepository;

/** The catalogue (products with a price per country) and the dated tax rates that admins maintain. */
@ApplicationScoped
public class CatalogueService {

    private final CatalogueRepository repository;
    private final TaxStrategies strategies;
    private final Pool pool;

    private final AuditTrail audit;

    public CatalogueService(CatalogueRepository repository, TaxStrategies strategies, Pool pool, AuditTrail audit) {
        this.audit = audit;
        this.repository = repository;
        this.strategies = strategies;
        this.pool = pool;
    }

    public Uni<TaxRate> addRate(TaxRate rate, String actor) {
        strategies.of(rate.country(), "country");
        return pool.withTransaction(conn -> repository.insertRate(conn, rate, actor)
                .call(() -> audit.record(conn, AuditEvent.of(actor, "TAX_RATE_ADDED", AuditSubjects.GST_RATE,
                        rate.country() + ":" + rate.hsnPrefix() + ":" + rate.validFrom(), null, rate, null)))).replaceWith(rate);
    }

    public Uni<Page<TaxRate>> rates(String country, PageRequest page) {
        strategies.of(country, "country");
        List<String> after = page.after();
        LocalDate afterFrom;
        try {
            afterFrom = after == null ? null : LocalDate.parse(after.get(1));
        } catch (RuntimeException e) {
            throw PageRequest.invalidCursor();
        }
        return repository.rates(pool, country, after == null ? null : after.get(0), afterFrom, page.limit + 1)
                .map(rates -> page.page(rates, rate -> List.of(rate.hsnPrefix(), rate.validFrom().toString())));
    }

    public Uni<ProductView> create(ProductRequest product, String actor) {
        checkPrices(product.prices());
        return pool.withTransaction(conn -> repository.insertProduct(conn, product)
                .chain(id -> repository.insertPrices(conn, id, product.prices()))
                .chain(() -> repository.product(conn, product.sku()))
                .call(created -> audit.record(conn, AuditEvent.of(actor, "PRODUCT_CREATED", AuditSubjects.PRODUCT, created.sku(), null,
                        created, null))));
    }

    /** Changes some fields of a product; orders placed before keep their own copy of price, name and volume. */
    public Uni<ProductView> update(String sku, ProductUpdate change, String actor) {
        if (change.prices() != null) {
            checkPrices(change.prices());
        }
        if (change.name() != null && change.name().isBlank()) {
            throw ProblemException.invalidField("name", "must not be blank");
        }
        return pool.withTransaction(conn -> repository.product(conn, sku).chain(before -> repository.updateProduct(conn, sku, change)
                .chain(found -> {
                    if (!found) {
                        throw CommerceProblems.notFound("No product has SKU " + sku + ".");
                    }
                    return repository.product(conn, sku);
                })
                .call(after -> audit.record(conn, AuditEvent.of(actor, "PRODUCT_CHANGED", AuditSubjects.PRODUCT, sku, before, after, null)))));
    }

    private void checkPrices(List<CountryPrice> prices) {
        Set<String> countries = new HashSet<>();
        for (int i = 0; i < prices.size(); i++) {
            CountryPrice price = prices.get(i);
            TaxStrategy strategy = strategies.of(price.country(), "prices[" + i + "].country");
            if (!countries.add(price.country())) {
                throw ProblemException.invalidField("prices[" + i + "].country", "is listed twice");
            }
            if (!price.price().currency().equals(strategy.currency())) {
                throw ProblemException.invalidField("prices[" + i + "].price.currency", "must be " + strategy.currency() + " in " + price.country());
            }
            if (price.price().isNegative()) {
                throw ProblemException.invalidField("prices[" + i + "].price.amount", "must not be negative");
            }
        }
    }

    public Uni<ProductView> product(String sku) {
        return repository.product(pool, sku).map(product -> {
            if (product == null) {
                throw CommerceProblems.notFound("No product has SKU " + sku + ".");
            }
            return product;
        });
    }

    /** Products in SKU order; distributors see only those on sale. */
    public Uni<Page<ProductView>> products(PageRequest page, boolean activeOnly) {
        List<String> after = page.after();
        return repository.products(pool, after == null ? null : after.get(0), page.limit + 1, activeOnly)
                .map(rows -> page.page(rows, product -> List.of(product.sku())));
    }
}
