package io.downline.commerce;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.downline.common.money.Money;
import io.downline.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Sales and tax reconciliation from the issued documents: per country, place of supply, warehouse and month, what the
 * invoices charged, what the credit notes gave back, and the net. It reads the documents, not the orders, so it
 * reconciles with the tax returns filed from the same invoices.
 */
@ApplicationScoped
public class ReportService {

    @Schema(name = "SalesReport", description = "Sales and tax reconciliation for a date range (invoice dates, inclusive)")
    public record SalesReport(@Schema(example = "2026-11-01") LocalDate from, @Schema(example = "2026-11-30") LocalDate to,
            List<SalesRow> rows) {
    }

    @Schema(name = "SalesReportRow", description = "Invoices and credit notes of one country, region, warehouse and month")
    public record SalesRow(
            @Schema(example = "IN") String country,
            @Schema(description = "Place of supply (GST state code in India)", example = "32") String region,
            @Schema(example = "MUM-1") String warehouse,
            @Schema(description = "Month of the document dates", example = "2026-11") String period,
            @Schema(example = "42") long invoices,
            Money taxable, Money cgst, Money sgst, Money utgst, Money igst, Money vat,
            @Schema(example = "3") long creditNotes,
            Money creditedTaxable, Money creditedCgst, Money creditedSgst, Money creditedUtgst, Money creditedIgst, Money creditedVat,
            @Schema(description = "Taxable value of invoices less credit notes") Money netTaxable,
            @Schema(description = "All taxes of invoices less credit notes") Money netTax) {
    }

    private static final String[] COLUMNS = { "country", "region", "warehouse", "period", "currency", "invoices", "taxable", "cgst",
            "sgst", "utgst", "igst", "vat", "credit_notes", "credited_taxable", "credited_cgst", "credited_sgst", "credited_utgst",
            "credited_igst", "credited_vat", "net_taxable", "net_tax" };

    private final Pool pool;

    public ReportService(Pool pool) {
        this.pool = pool;
    }

    public Uni<SalesReport> sales(LocalDate from, LocalDate to, String country) {
        if (to.isBefore(from)) {
            throw ProblemException.invalidField("to", "must not be before from");
        }
        return pool.preparedQuery("""
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
                  from invoice i join warehouse w on w.id = i.warehouse_id
                 where i.invoice_date between $1 and $2 and ($3::text is null or i.country = $3)
                 group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4""")
                .execute(Tuple.of(from, to, country))
                .map(rows -> new SalesReport(from, to, CatalogueRepository.list(rows, ReportService::row)));
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

    /** The same report as CSV, one row per group, amounts as plain decimals in the row's currency. */
    public static String csv(SalesReport report) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(COLUMNS).build())) {
            for (SalesRow r : report.rows()) {
                printer.printRecord(r.country(), r.region(), r.warehouse(), r.period(), r.taxable().currency(), r.invoices(),
                        r.taxable().amountText(), r.cgst().amountText(), r.sgst().amountText(), r.utgst().amountText(),
                        r.igst().amountText(), r.vat().amountText(), r.creditNotes(), r.creditedTaxable().amountText(),
                        r.creditedCgst().amountText(), r.creditedSgst().amountText(), r.creditedUtgst().amountText(),
                        r.creditedIgst().amountText(), r.creditedVat().amountText(), r.netTaxable().amountText(), r.netTax().amountText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Writing to a string cannot fail", e);
        }
        return out.toString();
    }
}
