package io.downline.tax.store;
import io.downline.tax.api.Invoices.Stored;
import io.downline.tax.api.Invoices.Draft;

import io.downline.tax.api.Invoices;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.downline.tax.api.InvoiceDocument.Original;
import io.downline.tax.api.InvoiceDocument.Party;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.downline.tax.api.DocumentType;
import io.downline.tax.api.FinancialYear;
import io.downline.tax.api.InvoiceDocument;
import io.downline.tax.api.SupplyType;
import io.downline.tax.api.TaxedLine;
import io.downline.tax.app.EInvoice;
import io.downline.tax.app.InvoiceDocuments;
import io.downline.tax.app.InvoiceNumbers;

/**
 * Issues tax documents inside the caller's transaction: the next number of the series for the financial year, the
 * document, and for B2B the e-invoice. The number comes from a counter row incremented in the same transaction, so
 * the row lock serializes issuers of one series and a rollback returns the number: no gaps, no duplicates.
 */
@ApplicationScoped
public class InvoiceIssuer implements Invoices {

    private final ObjectMapper mapper;

    public InvoiceIssuer(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The next number of the series in the financial year, taken in the caller's transaction. */
    @Override
    public Uni<Integer> nextNumber(SqlClient conn, String series, FinancialYear year) {
        return conn.preparedQuery("""
                insert into tax.invoice_counter (series, financial_year, last_number) values ($1, $2, 1)
                on conflict (series, financial_year) do update set last_number = invoice_counter.last_number + 1
                returning last_number""")
                .execute(Tuple.of(series, year.label()))
                .map(rows -> rows.iterator().next().getInteger("last_number"));
    }

    @Override
    public Uni<InvoiceDocument> issue(SqlClient conn, Draft draft) {
        FinancialYear year = FinancialYear.of(draft.date());
        String series = InvoiceNumbers.series(draft.warehouseSeries(), draft.type());
        return nextNumber(conn, series, year).chain(sequence -> {
            String number = InvoiceNumbers.format(series, year, sequence);
            InvoiceDocument document = InvoiceDocuments.build(new InvoiceDocuments.Issue(UUID.randomUUID(), draft.type(), number, year,
                    draft.date(), draft.issuedAt(), draft.orderId(), draft.original(), draft.seller(), draft.buyer(), draft.delivery(),
                    draft.supplyType(), draft.currency(), draft.lines(), draft.signatory()));
            Map<String, Object> eInvoice = EInvoice.applies(document) ? EInvoice.of(document) : null;
            var totals = document.totals();
            return conn.preparedQuery("""
                    insert into tax.invoice (id, doc_type, number, financial_year, order_id, original_id, distributor_id, warehouse_id, country,
                        region, currency, issued_at, invoice_date, taxable, cgst, sgst, utgst, igst, vat, total, irn, document, e_invoice)
                    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22::text::jsonb, $23::text::jsonb)""")
                    .execute(Tuple.tuple().addUUID(document.id()).addString(draft.type().name()).addString(number).addString(year.label())
                            .addUUID(draft.orderId()).addUUID(draft.originalId()).addLong(draft.distributorId()).addLong(draft.warehouseId())
                            .addString(draft.seller().country()).addString(draft.delivery().region()).addString(draft.currency())
                            .addOffsetDateTime(draft.issuedAt().atOffset(ZoneOffset.UTC)).addLocalDate(draft.date())
                            .addBigDecimal(totals.taxable().amount()).addBigDecimal(totals.cgst().amount())
                            .addBigDecimal(totals.sgst().amount()).addBigDecimal(totals.utgst().amount())
                            .addBigDecimal(totals.igst().amount()).addBigDecimal(totals.vat().amount())
                            .addBigDecimal(totals.total().amount()).addString(document.irn()).addString(json(document))
                            .addString(eInvoice == null ? null : json(eInvoice)))
                    .replaceWith(document);
        });
    }

    @Override
    public Uni<Stored> stored(SqlClient conn, UUID id) {
        return conn.preparedQuery("""
                select i.document::text as document, i.e_invoice::text as e_invoice, d.user_id from tax.invoice i join genealogy.distributor d on d.id = i.distributor_id where i.id = $1""")
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 0 ? null : toStored(rows.iterator().next()));
    }

    private Stored toStored(Row row) {
        try {
            InvoiceDocument document = mapper.readValue(row.getString("document"), InvoiceDocument.class);
            return new Stored(document, row.getString("e_invoice"), row.getUUID("user_id"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored invoice does not parse", e);
        }
    }

    /** Passed as text and cast in SQL, so decimals keep their scale (a JsonObject would turn 18.00 into 18.0). */
    private String json(Object document) {
        try {
            return mapper.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Invoice documents always serialize", e);
        }
    }
}
