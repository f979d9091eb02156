package io.downline.commerce.store;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.commerce.api.CommerceModels.CountryPrice;
import io.downline.commerce.api.CommerceModels.ProductRequest;
import io.downline.commerce.api.CommerceModels.ProductUpdate;
import io.downline.commerce.api.CommerceModels.ProductView;
import io.downline.commerce.api.CommerceModels.TaxRate;
import io.downline.common.money.Money;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL of products, their prices and the dated tax rates. */
@ApplicationScoped
public class CatalogueRepository {

    /** A product as an order line needs it, with its price in the delivery country (null when not sold there). */
    public record Sellable(long id, String sku, String name, String hsn, String unit, BigDecimal pv, BigDecimal bv, boolean active,
            BigDecimal price, String currency) {
    }

    public Uni<Void> insertRate(SqlClient conn, TaxRate rate, String actor) {
        return conn.preparedQuery("insert into commerce.tax_rate (country, hsn_prefix, valid_from, rate, created_by) values ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(rate.country(), rate.hsnPrefix(), rate.validFrom(), rate.rate(), actor)).replaceWithVoid();
    }

    /** A country's rates by HSN prefix and date, after (afterPrefix, afterFrom) when those are given. */
    public Uni<List<TaxRate>> rates(SqlClient conn, String country, String afterPrefix, LocalDate afterFrom, int limit) {
        return conn.preparedQuery("""
                select * from commerce.tax_rate where country = $1 and ($2::text is null or (hsn_prefix, valid_from) > ($2, $3))
                 order by hsn_prefix, valid_from limit $4""")
                .execute(Tuple.of(country, afterPrefix, afterFrom, limit))
                .map(rows -> list(rows, row -> new TaxRate(row.getString("country"), row.getString("hsn_prefix"),
                        row.getLocalDate("valid_from"), rate(row.getBigDecimal("rate")))));
    }

    /** The rate in force on the date for each HSN code: the longest matching prefix, its latest row from on or before the date. */
    public Uni<Map<String, BigDecimal>> ratesOn(SqlClient conn, String country, List<String> hsnCodes, LocalDate date) {
        return conn.preparedQuery("""
                select h.hsn, (select r.rate from commerce.tax_rate r
                                where r.country = $1 and h.hsn like r.hsn_prefix || '%' and r.valid_from <= $3
                                order by length(r.hsn_prefix) desc, r.valid_from desc limit 1) as rate
                  from unnest($2::text[]) as h(hsn)""")
                .execute(Tuple.of(country, hsnCodes.toArray(String[]::new), date))
                .map(rows -> {
                    Map<String, BigDecimal> rates = new LinkedHashMap<>();
                    rows.forEach(row -> rates.put(row.getString("hsn"), row.getBigDecimal("rate") == null ? null
                            : rate(row.getBigDecimal("rate"))));
                    return rates;
                });
    }

    public Uni<Long> insertProduct(SqlClient conn, ProductRequest product) {
        return conn.preparedQuery("""
                insert into commerce.product (sku, name, description, hsn, unit, pv, bv, active) values ($1, $2, $3, $4, $5, $6, $7, $8) returning id""")
                .execute(Tuple.tuple().addString(product.sku()).addString(product.name().trim()).addString(product.description())
                        .addString(product.hsn()).addString(product.unit()).addBigDecimal(product.pv()).addBigDecimal(product.bv())
                        .addBoolean(product.active() == null || product.active()))
                .map(rows -> rows.iterator().next().getLong("id"));
    }

    public Uni<Void> insertPrices(SqlClient conn, long productId, List<CountryPrice> prices) {
        List<Tuple> batch = new ArrayList<>();
        prices.forEach(p -> batch.add(Tuple.of(productId, p.country(), p.price().currency(), p.price().amount())));
        return conn.preparedQuery("insert into commerce.product_price (product_id, country, currency, price) values ($1, $2, $3, $4)")
                .executeBatch(batch).replaceWithVoid();
    }

    /** Applies the given fields; false when there is no such product. */
    public Uni<Boolean> updateProduct(SqlClient conn, String sku, ProductUpdate change) {
        return conn.preparedQuery("""
                update commerce.product set name = coalesce($2, name), description = coalesce($3, description), pv = coalesce($4, pv),
                       bv = coalesce($5, bv), active = coalesce($6, active)
                 where sku = $1 returning id""")
                .execute(Tuple.tuple().addString(sku).addString(change.name() == null ? null : change.name().trim())
                        .addString(change.description()).addBigDecimal(change.pv()).addBigDecimal(change.bv()).addBoolean(change.active()))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    if (change.prices() == null || change.prices().isEmpty()) {
                        return Uni.createFrom().item(true);
                    }
                    long id = rows.iterator().next().getLong("id");
                    List<Tuple> batch = new ArrayList<>();
                    change.prices().forEach(p -> batch.add(Tuple.of(id, p.country(), p.price().currency(), p.price().amount())));
                    return conn.preparedQuery("""
                            insert into commerce.product_price (product_id, country, currency, price) values ($1, $2, $3, $4)
                            on conflict (product_id, country) do update set currency = excluded.currency, price = excluded.price""")
                            .executeBatch(batch).replaceWith(true);
                });
    }

    private static final String PRODUCT_SELECT = """
            select p.*, coalesce(jsonb_agg(jsonb_build_object('country', pp.country, 'currency', pp.currency, 'price', pp.price::text)
                                 order by pp.country) filter (where pp.country is not null), '[]') as prices
              from commerce.product p left join commerce.product_price pp on pp.product_id = p.id""";

    public Uni<ProductView> product(SqlClient conn, String sku) {
        return conn.preparedQuery(PRODUCT_SELECT + " where p.sku = $1 group by p.id").execute(Tuple.of(sku))
                .map(rows -> rows.rowCount() == 0 ? null : toProduct(rows.iterator().next()));
    }

    public Uni<List<ProductView>> products(SqlClient conn, String afterSku, int limit, boolean activeOnly) {
        return conn.preparedQuery(PRODUCT_SELECT + " where p.sku > $1 and (p.active or not $3) group by p.id order by p.sku limit $2")
                .execute(Tuple.of(afterSku == null ? "" : afterSku, limit, activeOnly))
                .map(rows -> list(rows, CatalogueRepository::toProduct));
    }

    public Uni<Map<String, Sellable>> sellable(SqlClient conn, List<String> skus, String country) {
        return conn.preparedQuery("""
                select p.id, p.sku, p.name, p.hsn, p.unit, p.pv, p.bv, p.active, pp.price, pp.currency
                  from commerce.product p left join commerce.product_price pp on pp.product_id = p.id and pp.country = $2
                 where p.sku = any($1)""")
                .execute(Tuple.of(skus.toArray(String[]::new), country))
                .map(rows -> {
                    Map<String, Sellable> found = new LinkedHashMap<>();
                    rows.forEach(row -> found.put(row.getString("sku"), new Sellable(row.getLong("id"), row.getString("sku"),
                            row.getString("name"), row.getString("hsn"), row.getString("unit"), row.getBigDecimal("pv"),
                            row.getBigDecimal("bv"), row.getBoolean("active"), row.getBigDecimal("price"), row.getString("currency"))));
                    return found;
                });
    }

    private static ProductView toProduct(Row row) {
        List<CountryPrice> prices = new ArrayList<>();
        row.getJsonArray("prices").forEach(item -> {
            var price = (io.vertx.core.json.JsonObject) item;
            prices.add(new CountryPrice(price.getString("country"), Money.of(price.getString("price"), price.getString("currency"))));
        });
        return new ProductView(row.getString("sku"), row.getString("name"), row.getString("description"), row.getString("hsn"),
                row.getString("unit"), row.getBigDecimal("pv"), row.getBigDecimal("bv"), prices, row.getBoolean("active"));
    }

    /** A rate at two decimals, or three when it needs them (0.125). */
    static BigDecimal rate(BigDecimal rate) {
        return rate.setScale(Math.max(2, rate.stripTrailingZeros().scale()));
    }

    static <T> List<T> list(RowSet<Row> rows, java.util.function.Function<Row, T> mapper) {
        List<T> result = new ArrayList<>(rows.rowCount());
        rows.forEach(row -> result.add(mapper.apply(row)));
        return result;
    }
}
