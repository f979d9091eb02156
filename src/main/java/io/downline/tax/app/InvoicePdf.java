package io.downline.tax.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import io.downline.common.money.Money;
import io.downline.tax.api.InvoiceDocument.HsnRow;
import io.downline.tax.api.InvoiceDocument.Line;
import io.downline.tax.api.InvoiceDocument.Party;
import io.downline.tax.api.DocumentType;
import io.downline.tax.api.InvoiceDocument;

/**
 * Renders an issued document as an A4 PDF with Apache PDFBox: supplier, recipient, delivery and place of supply, the
 * lines with each tax, the HSN summary, totals with the round-off, the amount in words and the signatory.
 */
public final class InvoicePdf {

    private static final float MARGIN = 36;
    private static final float LEADING = 11;
    // per document: font objects become part of the document they are used in, so they are not shared across threads
    private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);

    private final PDDocument pdf = new PDDocument();
    private PDPageContentStream out;
    private float y;

    private InvoicePdf() {
    }

    public static byte[] render(InvoiceDocument document) {
        InvoicePdf renderer = new InvoicePdf();
        try {
            return renderer.write(document);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not render " + document.number(), e);
        }
    }

    private byte[] write(InvoiceDocument d) throws IOException {
        try (pdf) {
            PDDocumentInformation info = pdf.getDocumentInformation();
            info.setTitle(d.title() + " " + d.number());
            info.setAuthor(d.seller().name());
            newPage();
            text(bold, 14, MARGIN, d.title() + (d.type() == DocumentType.INV ? " (Original for Recipient)" : ""));
            y -= 6;
            text(regular, 9, MARGIN, "No. " + d.number() + "    Date " + d.date() + "    Financial year " + d.financialYear());
            if (d.original() != null) {
                text(regular, 9, MARGIN, "Against invoice " + d.original().number() + " dated " + d.original().date());
            }
            text(regular, 9, MARGIN, "Place of supply: " + d.placeOfSupply().name() + " (" + d.placeOfSupply().code() + ")"
                    + "    Reverse charge: " + (d.reverseCharge() ? "Yes" : "No") + "    Supply: " + d.supplyType());
            if (d.irn() != null) {
                text(regular, 7, MARGIN, "IRN: " + d.irn());
            }
            y -= 4;
            party("Supplier", d.seller());
            party("Recipient", d.buyer());
            party("Deliver to", d.delivery());
            y -= 4;
            lines(d);
            y -= 6;
            hsnSummary(d);
            y -= 6;
            totals(d);
            y -= 6;
            text(bold, 9, MARGIN, "Amount in words: " + d.amountInWords());
            y -= 24;
            text(regular, 9, MARGIN, "For " + d.seller().name());
            y -= 18;
            text(regular, 9, MARGIN, d.signatory());
            out.close();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            pdf.save(bytes);
            return bytes.toByteArray();
        }
    }

    private void party(String role, Party party) throws IOException {
        text(bold, 9, MARGIN, role + ": " + party.name());
        text(regular, 8, MARGIN + 10, party.address() + ", " + party.city() + " " + party.postalCode());
        String region = party.regionName() == null ? party.region() : party.regionName() + ", state code " + party.region();
        text(regular, 8, MARGIN + 10, region + ", " + party.country()
                + (party.taxId() == null ? "    Unregistered" : "    GSTIN/Tax id: " + party.taxId()));
    }

    private static final float[] LINE_COLUMNS = { MARGIN, MARGIN + 18, MARGIN + 160, MARGIN + 205, MARGIN + 245, MARGIN + 300,
            MARGIN + 345, MARGIN + 395, MARGIN + 445, MARGIN + 490 };

    private void lines(InvoiceDocument d) throws IOException {
        row(bold, LINE_COLUMNS, "#", "Description", "HSN", "Qty", "Unit price", "Taxable", "Rate %", "CGST", taxHeader(d), "Total");
        for (Line line : d.lines()) {
            row(regular, LINE_COLUMNS, Integer.toString(line.slNo()), clip(line.description(), 30), line.hsn(),
                    line.quantity() + " " + line.unit(), amount(line.unitPrice()), amount(line.taxable()), line.rate().toPlainString(),
                    amount(line.cgst()), amount(secondTax(d, line.sgst(), line.utgst(), line.igst(), line.vat())), amount(line.total()));
        }
    }

    private static final float[] HSN_COLUMNS = { MARGIN, MARGIN + 70, MARGIN + 120, MARGIN + 170, MARGIN + 240, MARGIN + 300,
            MARGIN + 360 };

    private void hsnSummary(InvoiceDocument d) throws IOException {
        text(bold, 9, MARGIN, "HSN summary");
        row(bold, HSN_COLUMNS, "HSN", "Rate %", "Qty", "Taxable", "CGST", taxHeader(d), "Total tax");
        for (HsnRow row : d.hsnSummary()) {
            row(regular, HSN_COLUMNS, row.hsn(), row.rate().toPlainString(), Integer.toString(row.quantity()), amount(row.taxable()),
                    amount(row.cgst()), amount(secondTax(d, row.sgst(), row.utgst(), row.igst(), row.vat())), amount(row.totalTax()));
        }
    }

    private void totals(InvoiceDocument d) throws IOException {
        var t = d.totals();
        List<String> lines = new ArrayList<>();
        lines.add("Taxable value: " + amount(t.taxable()));
        switch (d.supplyType()) {
            case INTRA_STATE -> {
                lines.add("CGST: " + amount(t.cgst()));
                lines.add("SGST: " + amount(t.sgst()));
            }
            case INTRA_UNION_TERRITORY -> {
                lines.add("CGST: " + amount(t.cgst()));
                lines.add("UTGST: " + amount(t.utgst()));
            }
            case INTER_STATE -> lines.add("IGST: " + amount(t.igst()));
            case VAT -> lines.add("VAT: " + amount(t.vat()));
        }
        lines.add("Round off: " + amount(t.roundOff()));
        for (String line : lines) {
            text(regular, 9, MARGIN + 330, line);
        }
        text(bold, 10, MARGIN + 330, "Total: " + d.currency() + " " + amount(t.total()));
    }

    private static String taxHeader(InvoiceDocument d) {
        return switch (d.supplyType()) {
            case INTRA_STATE -> "SGST";
            case INTRA_UNION_TERRITORY -> "UTGST";
            case INTER_STATE -> "IGST";
            case VAT -> "VAT";
        };
    }

    /** The one tax besides CGST that the supply type uses (CGST itself is zero for IGST and VAT supplies). */
    private static Money secondTax(InvoiceDocument d, Money sgst, Money utgst, Money igst, Money vat) {
        return switch (d.supplyType()) {
            case INTRA_STATE -> sgst;
            case INTRA_UNION_TERRITORY -> utgst;
            case INTER_STATE -> igst;
            case VAT -> vat;
        };
    }

    private void row(PDType1Font font, float[] columns, String... cells) throws IOException {
        ensureRoom();
        for (int i = 0; i < cells.length; i++) {
            write(font, 8, columns[i], y, cells[i]);
        }
        y -= LEADING;
    }

    private void text(PDType1Font font, float size, float x, String text) throws IOException {
        ensureRoom();
        write(font, size, x, y, text);
        y -= LEADING + (size > 9 ? size - 9 : 0);
    }

    private void write(PDType1Font font, float size, float x, float at, String text) throws IOException {
        out.beginText();
        out.setFont(font, size);
        out.newLineAtOffset(x, at);
        out.showText(printable(text));
        out.endText();
    }

    private void ensureRoom() throws IOException {
        if (y < MARGIN + LEADING) {
            out.close();
            newPage();
        }
    }

    private void newPage() throws IOException {
        PDPage page = new PDPage(PDRectangle.A4);
        pdf.addPage(page);
        out = new PDPageContentStream(pdf, page);
        y = page.getMediaBox().getHeight() - MARGIN;
    }

    private static String amount(Money money) {
        return money.amountText();
    }

    private static String clip(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + ".";
    }

    /** The standard fonts encode WinAnsi only; other characters (Devanagari, Cyrillic) need an embedded font. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            out.append((c >= 0x20 && c < 0x7F) || (c >= 0xA0 && c <= 0xFF) ? c : '?');
        }
        return out.toString();
    }
}
