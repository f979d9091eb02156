package io.downline.tax.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.downline.common.money.Money;

/**
 * A tax invoice or credit note as issued, with every field of CGST Rule 46. It is stored whole when issued and never
 * changes, so the JSON, the PDF and the e-invoice always show what was issued.
 */
@Schema(name = "TaxDocument", description = "A tax invoice (INV) or credit note (CRN) as issued")
public record InvoiceDocument(
        @Schema(required = true, example = "7d1c0b5e-61a2-4f0e-9b57-0c9b1f1a2d55") UUID id,
        @Schema(required = true, description = "INV or CRN", example = "INV") DocumentType type,
        @Schema(required = true, example = "Tax Invoice") String title,
        @Schema(required = true, description = "Serial number, unique in the financial year", example = "MH/2526/000042") String number,
        @Schema(required = true, example = "2025-26") String financialYear,
        @Schema(required = true, example = "2025-11-21") LocalDate date,
        // named explicitly: Jackson would otherwise read "issuedAt" as an "is" accessor of "suedAt"
        @JsonProperty("issuedAt") @Schema(required = true, example = "2025-11-21T09:31:02Z") Instant issuedAt,
        @Schema(required = true, example = "0b9c7f56-0d6e-4c43-9a57-2b8f3f1e6d10") UUID orderId,
        @Schema(description = "For a credit note: the invoice it reduces") Original original,
        @Schema(required = true) Party seller,
        @Schema(required = true) Party buyer,
        Party delivery,
        @Schema(required = true, description = "Place of supply: the delivery state") Place placeOfSupply,
        @Schema(required = true, description = "Whether tax is payable on reverse charge", example = "false") boolean reverseCharge,
        @Schema(required = true, example = "INTER_STATE") SupplyType supplyType,
        @Schema(required = true, example = "INR") String currency,
        @Schema(required = true) List<Line> lines,
        @Schema(required = true) List<HsnRow> hsnSummary,
        @Schema(required = true) DocumentTotals totals,
        @Schema(required = true, example = "Rupees One Thousand One Hundred Eighty Only") String amountInWords,
        @Schema(description = "Invoice reference number (B2B only): SHA-256 of GSTIN, year, type and number",
                example = "3f7a6c1d0e9b8a7f6e5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2918071") String irn,
        @Schema(required = true, description = "Who signs for the supplier", example = "Authorised Signatory, Downline Wellness Pvt Ltd") String signatory) {

    @Schema(name = "OriginalInvoice", description = "The invoice a credit note refers to")
    public record Original(@Schema(required = true, example = "MH/2526/000042") String number, @Schema(required = true, example = "2025-11-21") LocalDate date) {
    }

    @Schema(name = "Party", description = "Supplier, recipient or delivery address")
    public record Party(
            @Schema(required = true, example = "Downline Wellness Pvt Ltd") String name,
            @Schema(required = true, example = "Plot 12, MIDC, Andheri East") String address,
            @Schema(required = true, example = "Mumbai") String city,
            @Schema(required = true, example = "400093") String postalCode,
            @Schema(description = "GSTIN (BIN in Kazakhstan); absent for an unregistered recipient", example = "27AAPFU0939F1ZV") String taxId,
            @Schema(required = true, description = "State code in India", example = "27") String region,
            @Schema(required = true, example = "Maharashtra") String regionName,
            @Schema(required = true, example = "IN") String country) {
    }

    @Schema(name = "PlaceOfSupply", description = "State (region) code and name")
    public record Place(@Schema(required = true, example = "32") String code, @Schema(required = true, example = "Kerala") String name) {
    }

    @Schema(name = "DocumentLine", description = "One line of a tax document")
    public record Line(
            @Schema(required = true, example = "1") int slNo,
            @Schema(required = true, example = "Protein Shake 500 g") String description,
            @Schema(required = true, example = "21069099") String hsn,
            @Schema(required = true, example = "2") int quantity,
            @Schema(required = true, example = "NOS") String unit,
            @Schema(required = true) Money unitPrice,
            @Schema(required = true, description = "Quantity times unit price") Money value,
            @Schema(required = true) Money discount,
            @Schema(required = true) Money taxable,
            @Schema(required = true, description = "Rate in percent", example = "18.00") BigDecimal rate,
            @Schema(required = true) Money cgst, @Schema(required = true) Money sgst, @Schema(required = true) Money utgst, @Schema(required = true) Money igst, @Schema(required = true) Money vat,
            @Schema(required = true) Money total) {
    }

    @Schema(name = "HsnSummaryRow", description = "Taxable value and taxes of one HSN code at one rate")
    public record HsnRow(
            @Schema(required = true, example = "21069099") String hsn,
            @Schema(required = true, example = "18.00") BigDecimal rate,
            @Schema(required = true, example = "2") int quantity,
            @Schema(required = true) Money taxable, @Schema(required = true) Money cgst, @Schema(required = true) Money sgst, @Schema(required = true) Money utgst, @Schema(required = true) Money igst, @Schema(required = true) Money vat, @Schema(required = true) Money totalTax) {
    }

    @Schema(name = "DocumentTotals", description = "Totals of a tax document")
    public record DocumentTotals(@Schema(required = true) Money taxable, @Schema(required = true) Money cgst, @Schema(required = true) Money sgst, @Schema(required = true) Money utgst, @Schema(required = true) Money igst, @Schema(required = true) Money vat, @Schema(required = true) Money tax,
            @Schema(required = true, description = "Rounding to a whole rupee") Money roundOff, @Schema(required = true) Money total) {
    }
}
