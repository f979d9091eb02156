package io.downline.commerce.app;

import java.time.LocalDate;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.downline.common.CsvFiles;
import io.downline.common.money.Money;
import io.downline.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.downline.commerce.store.ReportRepository;

/**
 * Sales and tax reconciliation from the issued documents: per country, place of supply, warehouse and month, what the
 * invoices charged, what the credit notes gave back, and the net. It reads the documents, not the orders, so it
 * reconciles with the tax returns filed from the same invoices.
 */
@ApplicationScoped
public class ReportService {

    @Schema(name = "SalesReport", description = "Sales and tax reconciliation for a date range (invoice dates, inclusive)")
    public record SalesReport(@Schema(required = true, example = "2026-11-01") LocalDate from, @Schema(required = true, example = "2026-11-30") LocalDate to,
            @Schema(required = true) List<SalesRow> rows) {
    }

    @Schema(name = "SalesReportRow", description = "Invoices and credit notes of one country, region, warehouse and month")
    public record SalesRow(
            @Schema(required = true, example = "IN") String country,
            @Schema(required = true, description = "Place of supply (GST state code in India)", example = "32") String region,
            @Schema(required = true, example = "MUM-1") String warehouse,
            @Schema(required = true, description = "Month of the document dates", example = "2026-11") String period,
            @Schema(required = true, example = "42") long invoices,
            @Schema(required = true) Money taxable, @Schema(required = true) Money cgst, @Schema(required = true) Money sgst, @Schema(required = true) Money utgst, @Schema(required = true) Money igst, @Schema(required = true) Money vat,
            @Schema(required = true, example = "3") long creditNotes,
            @Schema(required = true) Money creditedTaxable, @Schema(required = true) Money creditedCgst, @Schema(required = true) Money creditedSgst, @Schema(required = true) Money creditedUtgst, @Schema(required = true) Money creditedIgst, @Schema(required = true) Money creditedVat,
            @Schema(required = true, description = "Taxable value of invoices less credit notes") Money netTaxable,
            @Schema(required = true, description = "All taxes of invoices less credit notes") Money netTax) {
    }

    private static final List<String> COLUMNS = List.of("country", "region", "warehouse", "period", "currency", "invoices", "taxable",
            "cgst", "sgst", "utgst", "igst", "vat", "credit_notes", "credited_taxable", "credited_cgst", "credited_sgst", "credited_utgst",
            "credited_igst", "credited_vat", "net_taxable", "net_tax");

    private final ReportRepository repository;
    private final Pool pool;

    public ReportService(ReportRepository repository, Pool pool) {
        this.repository = repository;
        this.pool = pool;
    }

    public Uni<SalesReport> sales(LocalDate from, LocalDate to, String country) {
        if (to.isBefore(from)) {
            throw ProblemException.invalidField("to", "must not be before from");
        }
        return repository.sales(pool, from, to, country).map(rows -> new SalesReport(from, to, rows));
    }

    /** The same report as CSV, one row per group, amounts as plain decimals in the row's currency; text cells defused. */
    public static String csv(SalesReport report) {
        return CsvFiles.write(COLUMNS, report.rows().stream().<List<?>>map(r -> List.of(r.country(), r.region(), r.warehouse(), r.period(),
                r.taxable().currency(), r.invoices(), r.taxable().amountText(), r.cgst().amountText(), r.sgst().amountText(),
                r.utgst().amountText(), r.igst().amountText(), r.vat().amountText(), r.creditNotes(), r.creditedTaxable().amountText(),
                r.creditedCgst().amountText(), r.creditedSgst().amountText(), r.creditedUtgst().amountText(),
                r.creditedIgst().amountText(), r.creditedVat().amountText(), r.netTaxable().amountText(), r.netTax().amountText()))
                .toList());
    }
}
