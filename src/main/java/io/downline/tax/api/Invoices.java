package io.downline.tax.api;

import io.downline.tax.api.DocumentType;
import io.downline.tax.api.FinancialYear;
import io.downline.tax.api.InvoiceDocument.Original;
import io.downline.tax.api.InvoiceDocument.Party;
import io.downline.tax.api.InvoiceDocument;
import io.downline.tax.api.SupplyType;
import io.downline.tax.api.TaxedLine;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * Tax documents (invoices, credit notes) with Rule 46 numbering, issued and read in the caller's transaction.
 */
public interface Invoices {

    /** A document before it has a number. */
    record Draft(DocumentType type, String warehouseSeries, LocalDate date, Instant issuedAt, UUID orderId, UUID originalId,
            Original original, Party seller, Party buyer, Party delivery, SupplyType supplyType, String currency, List<TaxedLine> lines,
            long distributorId, long warehouseId, String signatory) {
    }

    /** An issued document as stored, with the distributor it belongs to (for access checks). */
    record Stored(InvoiceDocument document, String eInvoiceJson, UUID ownerUserId) {
    }

    /** The next number of the series in the financial year, taken in the caller's transaction. */
    Uni<Integer> nextNumber(SqlClient conn, String series, FinancialYear year);

    Uni<InvoiceDocument> issue(SqlClient conn, Draft draft);

    Uni<Stored> stored(SqlClient conn, UUID id);
}
