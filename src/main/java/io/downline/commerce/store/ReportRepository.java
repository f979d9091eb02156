package io.downline.commerce.store;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.commerce.app.ReportService.SalesRow;
import io.downline.common.money.Money;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL of the reports: sums over the issued documents. */
@ApplicationScoped
public class ReportRepository {

    public Uni<List<SalesRow>> sales(SqlClient conn, LocalDate from, LocalDate to, String country) {
        return conn.preparedQuery("""
                select i.country, i.region, w.code as warehouse, to_char(i.invoice_date, 'YYYY-MM') as period, i.currency,
                       count(*) filter (where i.doc_type = 'INV') as invoices,
                       coalesce(sum(i.taxable) filter (where i.doc_type = 'INV'), 0) as taxable,
                       coalesce(sum(i.cgst) filter (where i.doc_type = 'INV'), 0) as cgst,
                       coalesce(sum(i.sgst) filter (where i.doc_type = 'INV'), 0) as sgst,
                       coalesce(sum(i.utgst) filter (where i.doc_type = 'INV'), 0) as utgst,
                       coalesce(sum(i.igst) filter (where i.doc_type = 'INV'), 0) as igst,
                       coalesce(sum(i.vat) filter (where i.doc_type = 'INV'), 0) as vat,
                       count(*) filter (where i.doc_type = 'CRN') as credit_notes,
                       coalesce(sum(i.taxable) filter (where i.doc_type = 'CRN'), 0) as c_taxable,
                       coalesce(sum(i.cgst) filter (where i.doc_type = 'CRN'), 0) as c_cgst,
                       coalesce(sum(i.sgst) filter (where i.doc_type = 'CRN'), 0) as c_sgst,
                       coalesce(sum(i.utgst) filter (where i.doc_type = 'CRN'), 0) as c_utgst,
                       coalesce(sum(i.igst) filter (where i.doc_type = 'CRN'), 0) as c_igst,
                       coalesce(sum(i.vat) filter (where i.doc_type = 'CRN'), 0) as c_vat
                  from tax.invoice i join commerce.warehouse w on w.id = i.warehouse_id
                 where i.invoice_date between $1 and $2 and ($3::text is null or i.country = $3)
                 group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4""")
                .execute(Tuple.of(from, to, country))
                .map(rows -> CatalogueRepository.list(rows, ReportRepository::row));
    }

    private static SalesRow row(Row r) {
        String c = r.getString("currency");
        BigDecimal tax = r.getBigDecimal("cgst").add(r.getBigDecimal("sgst")).add(r.getBigDecimal("utgst")).add(r.getBigDecimal("igst"))
                .add(r.getBigDecimal("vat"));
        BigDecimal credited = r.getBigDecimal("c_cgst").add(r.getBigDecimal("c_sgst")).add(r.getBigDecimal("c_utgst"))
                .add(r.getBigDecimal("c_igst")).add(r.getBigDecimal("c_vat"));
        return new SalesRow(r.getString("country"), r.getString("region"), r.getString("warehouse"), r.getString("period"),
                r.getLong("invoices"), m(r, "taxable", c), m(r, "cgst", c), m(r, "sgst", c), m(r, "utgst", c), m(r, "igst", c),
                m(r, "vat", c), r.getLong("credit_notes"), m(r, "c_taxable", c), m(r, "c_cgst", c), m(r, "c_sgst", c),
                m(r, "c_utgst", c), m(r, "c_igst", c), m(r, "c_vat", c),
                Money.of(r.getBigDecimal("taxable").subtract(r.getBigDecimal("c_taxable")), c), Money.of(tax.subtract(credited), c));
    }

    private static Money m(Row row, String column, String currency) {
        return Money.of(row.getBigDecimal(column), currency);
    }
}
