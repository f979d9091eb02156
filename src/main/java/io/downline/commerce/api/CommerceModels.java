package io.downline.commerce.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.downline.common.money.Money;
import io.downline.tax.api.SupplyType;

/** Request and response bodies of the catalogue, warehouse, order and return endpoints. */
public final class CommerceModels {

    private CommerceModels() {
    }

    // ---- tax rates and catalogue -----------------------------------------------------------------------------

    @Schema(name = "TaxRate", description = "A tax rate in force from a date for the HSN codes that start with a prefix ('' = every code)")
    public record TaxRate(
            @NotNull @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166 country code") @Schema(example = "IN") String country,
            @NotNull @Pattern(regexp = "([0-9]{2,8})?", message = "must be 2 to 8 digits, or empty for the country's default")
            @Schema(description = "HSN code or its leading digits; the longest matching prefix applies", example = "3304") String hsnPrefix,
            @NotNull @Schema(description = "First invoice date on which the rate applies", example = "2025-09-22") LocalDate validFrom,
            @NotNull @DecimalMin("0") @DecimalMax("100") @Digits(integer = 3, fraction = 3)
            @Schema(description = "Percent of the taxable value (GST: the full rate, split into CGST and SGST within a state)", example = "18")
            BigDecimal rate) {
    }

    @Schema(name = "CountryPrice", description = "The taxable unit price (tax excluded) in a country")
    public record CountryPrice(
            @NotNull @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166 country code") @Schema(example = "IN") String country,
            @NotNull @Schema(description = "In the country's currency") Money price) {
    }

    @Schema(name = "NewProduct", description = "A product of the catalogue")
    public record ProductRequest(
            @NotBlank @Pattern(regexp = "[A-Z0-9][A-Z0-9-]{1,39}", message = "must be 2 to 40 capital letters, digits or '-'")
            @Schema(example = "NUT-PROT-500") String sku,
            @NotBlank @Size(max = 120) @Schema(example = "Protein Shake 500 g") String name,
            @NotNull @Size(max = 1000) @Schema(example = "Whey protein, chocolate flavour") String description,
            @NotNull @Pattern(regexp = "[0-9]{4}([0-9]{2}([0-9]{2})?)?", message = "must be 4, 6 or 8 digits")
            @Schema(description = "HSN code", example = "21069099") String hsn,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be a GST unit quantity code such as NOS, BTL, KGS")
            @Schema(description = "Unit quantity code (UQC)", example = "NOS") String unit,
            @NotNull @DecimalMin("0") @Digits(integer = 10, fraction = 2) @Schema(description = "Point value per unit", example = "25.00") BigDecimal pv,
            @NotNull @DecimalMin("0") @Digits(integer = 10, fraction = 2) @Schema(description = "Business volume per unit", example = "20.00") BigDecimal bv,
            @NotEmpty @Size(max = 20) List<@Valid @NotNull CountryPrice> prices,
            @Schema(description = "Whether it can be ordered; true when absent", example = "true") Boolean active) {
    }

    @Schema(name = "ProductChange", description = "New values for some fields of a product; absent fields keep theirs. "
            + "Orders already placed keep the price, name and volume they were placed with.")
    public record ProductUpdate(
            @Size(min = 1, max = 120) @Schema(example = "Protein Shake 500 g (new recipe)") String name,
            @Size(max = 1000) @Schema(example = "Whey protein, chocolate flavour, less sugar") String description,
            @DecimalMin("0") @Digits(integer = 10, fraction = 2) @Schema(example = "27.00") BigDecimal pv,
            @DecimalMin("0") @Digits(integer = 10, fraction = 2) @Schema(example = "21.00") BigDecimal bv,
            @Size(max = 20) @Schema(description = "Prices to set, per country; countries not listed keep their price")
            List<@Valid @NotNull CountryPrice> prices,
            @Schema(description = "false takes it off sale", example = "false") Boolean active) {
    }

    @Schema(name = "Product", description = "A product of the catalogue")
    public record ProductView(
            @Schema(required = true, example = "NUT-PROT-500") String sku,
            @Schema(required = true, example = "Protein Shake 500 g") String name,
            @Schema(example = "Whey protein, chocolate flavour") String description,
            @Schema(required = true, example = "21069099") String hsn,
            @Schema(required = true, example = "NOS") String unit,
            @Schema(required = true, example = "25.00") BigDecimal pv,
            @Schema(required = true, example = "20.00") BigDecimal bv,
            @Schema(required = true) List<CountryPrice> prices,
            @Schema(required = true, example = "true") boolean active) {
    }

    // ---- warehouses and stock ----------------------------------------------------------------------------------

    @Schema(name = "NewWarehouse", description = "A warehouse, registered for tax in its region")
    public record WarehouseRequest(
            @NotBlank @Pattern(regexp = "[A-Z0-9-]{2,20}", message = "must be 2 to 20 capital letters, digits or '-'")
            @Schema(example = "MUM-1") String code,
            @NotBlank @Size(max = 120) @Schema(example = "Mumbai Central Warehouse") String name,
            @NotBlank @Size(max = 300) @Schema(example = "Plot 12, MIDC, Andheri East") String address,
            @NotBlank @Size(max = 80) @Schema(example = "Mumbai") String city,
            @NotBlank @Pattern(regexp = "[0-9A-Z -]{3,10}", message = "must be a postal code") @Schema(example = "400093") String postalCode,
            @NotBlank @Schema(description = "GST state code in India, region code elsewhere", example = "27") String region,
            @NotNull @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166 country code") @Schema(example = "IN") String country,
            @NotBlank @Schema(description = "The company's GSTIN in that state (BIN in Kazakhstan)", example = "27AAPFU0939F1ZV") String taxId,
            @NotBlank @Pattern(regexp = "(?!.*C$)[A-Z][A-Z0-9]{0,2}",
                    message = "must be 1 to 3 capital letters or digits, starting with a letter and not ending in C")
            @Schema(description = "Prefix of the warehouse's invoice numbers; credit notes add C, so a series never ends in C",
                    example = "MH") String invoiceSeries) {
    }

    @Schema(name = "Warehouse", description = "A warehouse")
    public record WarehouseView(
            @Schema(required = true, example = "MUM-1") String code,
            @Schema(required = true, example = "Mumbai Central Warehouse") String name,
            @Schema(required = true, example = "Plot 12, MIDC, Andheri East") String address,
            @Schema(required = true, example = "Mumbai") String city,
            @Schema(required = true, example = "400093") String postalCode,
            @Schema(required = true, example = "27") String region,
            @Schema(required = true, example = "IN") String country,
            @Schema(example = "27AAPFU0939F1ZV") String taxId,
            @Schema(required = true, example = "MH") String invoiceSeries,
            @Schema(required = true, description = "Usernames of the regional representatives who move its stock", example = "[\"rep-mumbai\"]") List<String> employees,
            @Schema(required = true, example = "true") boolean active) {
    }

    @Schema(name = "WarehouseEmployee", description = "A staff account to make a representative of a warehouse")
    public record EmployeeRequest(@NotBlank @Size(max = 100) @Schema(example = "rep-mumbai") String username) {
    }

    public enum MovementKind {
        RECEIPT, TRANSFER_OUT, TRANSFER_IN, SALE, RETURN, ADJUSTMENT
    }

    @Schema(name = "NewStockMovement", description = "Goods received, an adjustment (+ or -), or a transfer to another warehouse")
    public record StockMovementRequest(
            @NotNull @Schema(description = "RECEIPT, ADJUSTMENT or TRANSFER_OUT; sales and returns move stock on their own",
                    example = "RECEIPT") MovementKind kind,
            @NotBlank @Size(max = 40) @Schema(example = "NUT-PROT-500") String sku,
            @NotNull @Min(-1_000_000) @Max(1_000_000) @Schema(description = "Units; negative only for an adjustment", example = "100") Integer quantity,
            @NotBlank @Size(max = 200) @Schema(example = "Supplier invoice 4411") String reason,
            @Schema(description = "For a receipt: what one unit cost the warehouse") Money unitCost,
            @Size(max = 20) @Schema(description = "For a transfer: the receiving warehouse", example = "DEL-1") String toWarehouse) {
    }

    @Schema(name = "StockMovement", description = "One change of a warehouse's stock of a product")
    public record StockMovementView(
            @Schema(required = true, example = "1042") long id,
            @Schema(required = true, example = "MUM-1") String warehouse,
            @Schema(required = true, example = "NUT-PROT-500") String sku,
            @Schema(required = true, example = "RECEIPT") MovementKind kind,
            @Schema(required = true, example = "100") int quantity,
            @Schema(required = true, description = "The warehouse's quantity of the product right after this movement", example = "340") int balance,
            @Schema(description = "Cost per unit, for receipts") Money unitCost,
            @Schema(example = "Supplier invoice 4411") String reason,
            @Schema(required = true, description = "Who made it", example = "rep-mumbai") String actor,
            @Schema(description = "The order of a sale or return", example = "0b9c7f56-0d6e-4c43-9a57-2b8f3f1e6d10") UUID orderId,
            @Schema(required = true, example = "2026-11-21T09:30:00Z") Instant createdAt) {
    }

    @Schema(name = "StockLevel", description = "A warehouse's quantity of one product")
    public record StockView(@Schema(required = true, example = "NUT-PROT-500") String sku, @Schema(required = true, example = "Protein Shake 500 g") String name,
            @Schema(required = true, example = "340") int quantity) {
    }

    @Schema(name = "NewWarehouseExpense", description = "Money a warehouse spent (freight, packing, rent)")
    public record ExpenseRequest(
            @NotNull Money amount,
            @NotBlank @Size(max = 200) @Schema(example = "Freight from supplier") String description,
            @NotNull @Schema(example = "2026-11-20") LocalDate spentOn) {
    }

    @Schema(name = "WarehouseExpense", description = "Money a warehouse spent")
    public record ExpenseView(@Schema(required = true, example = "77") long id, @Schema(required = true, example = "MUM-1") String warehouse, @Schema(required = true) Money amount,
            @Schema(required = true, example = "Freight from supplier") String description, @Schema(required = true, example = "rep-mumbai") String actor,
            @Schema(required = true, example = "2026-11-20") LocalDate spentOn) {
    }

    // ---- orders --------------------------------------------------------------------------------------------------

    @Schema(name = "Address", description = "A postal address; region is the GST state code in India")
    public record Address(
            @NotBlank @Size(max = 120) @Schema(example = "Kavya Menon") String name,
            @NotBlank @Size(max = 200) @Schema(example = "14 MG Road") String line1,
            @Size(max = 200) @Schema(example = "Near City Mall") String line2,
            @NotBlank @Size(max = 80) @Schema(example = "Kochi") String city,
            @NotBlank @Pattern(regexp = "[0-9A-Z -]{3,10}", message = "must be a postal code") @Schema(example = "682016") String postalCode,
            @NotBlank @Size(max = 10) @Schema(description = "GST state code in India, region code elsewhere", example = "32") String region,
            @NotNull @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166 country code") @Schema(example = "IN") String country) {
    }

    @Schema(name = "RetailCustomer", description = "The retail customer a distributor orders for")
    public record Customer(
            @NotBlank @Size(max = 120) @Schema(example = "Arjun Nair") String name,
            @Schema(description = "GSTIN of a registered business customer (makes the invoice B2B)", example = "32AAACR5055K1ZG") String gstin) {
    }

    @Schema(name = "CartLine", description = "A product and how many")
    public record CartLine(
            @NotBlank @Size(max = 40) @Schema(example = "NUT-PROT-500") String sku,
            @NotNull @Min(1) @Max(10_000) @Schema(example = "2") Integer quantity) {
    }

    @Schema(name = "Checkout", description = "A distributor's order, for themselves or for a retail customer. Prices and taxes are the server's.")
    public record CheckoutRequest(
            @NotEmpty @Size(max = 100) List<@Valid @NotNull CartLine> lines,
            @NotNull @Valid Address delivery,
            @Valid @Schema(description = "The retail customer; absent when the distributor buys for themselves") Customer customer,
            @Schema(description = "The distributor's own GSTIN when they buy as a registered business", example = "32AAACR5055K1ZG") String buyerGstin) {
    }

    @Schema(name = "OrderLine", description = "A line of an order, priced and taxed by the server")
    public record OrderLineView(
            @Schema(required = true, example = "1") int lineNo,
            @Schema(required = true, example = "NUT-PROT-500") String sku,
            @Schema(required = true, example = "Protein Shake 500 g") String name,
            @Schema(required = true, example = "21069099") String hsn,
            @Schema(required = true, example = "NOS") String unit,
            @Schema(required = true, example = "2") int quantity,
            @Schema(required = true, description = "Units returned so far", example = "0") int returnedQuantity,
            @Schema(required = true) Money unitPrice,
            @Schema(required = true) Money taxable,
            @Schema(required = true, description = "Tax rate in percent", example = "18.00") BigDecimal rate,
            @Schema(required = true) Money cgst, @Schema(required = true) Money sgst, @Schema(required = true) Money utgst, @Schema(required = true) Money igst, @Schema(required = true) Money vat,
            @Schema(required = true) Money total,
            @Schema(required = true, example = "50.00") BigDecimal pv,
            @Schema(required = true, example = "40.00") BigDecimal bv) {
    }

    @Schema(name = "DocumentRef", description = "A tax document by id and number")
    public record DocumentRef(@Schema(required = true, example = "7d1c0b5e-61a2-4f0e-9b57-0c9b1f1a2d55") UUID id,
            @Schema(required = true, example = "MH/2526/000042") String number) {
    }

    public enum OrderStatus {
        PENDING, PAID
    }

    /** Refunds are recorded here and paid out by the payment gateway. */
    public enum RefundStatus {
        RECORDED
    }

    @Schema(name = "Order", description = "An order with the server's prices, taxes and totals")
    public record OrderView(
            @Schema(required = true, example = "0b9c7f56-0d6e-4c43-9a57-2b8f3f1e6d10") UUID id,
            @Schema(required = true, description = "PENDING until paid, then PAID", example = "PAID") OrderStatus status,
            @Schema(required = true, description = "The distributor who placed it and earns its volume", example = "DL00000421") String memberCode,
            @Schema(required = true, example = "Arjun Nair") String buyerName,
            @Schema(example = "32AAACR5055K1ZG") String buyerGstin,
            @Schema(required = true, description = "Whether it is for a retail customer", example = "true") boolean forCustomer,
            @Schema(required = true) Address delivery,
            @Schema(required = true, description = "The fulfilling warehouse", example = "MUM-1") String warehouse,
            @Schema(required = true, example = "INTER_STATE") SupplyType supplyType,
            @Schema(required = true) List<OrderLineView> lines,
            @Schema(required = true) Money taxableTotal,
            @Schema(required = true) Money taxTotal,
            @Schema(required = true, description = "Rounding of the total to a whole rupee (or tenge)") Money roundOff,
            @Schema(required = true) Money grandTotal,
            @Schema(required = true, example = "50.00") BigDecimal pv,
            @Schema(required = true, example = "40.00") BigDecimal bv,
            @Schema(required = true, example = "2026-11-21T09:30:00Z") Instant createdAt,
            @Schema(example = "2026-11-21T09:31:02Z") Instant paidAt,
            @Schema(example = "pay_NQ2x8Kd7vPq1") String paymentReference,
            @Schema(description = "The volume period the order's PV and BV went into", example = "2026-11") String volumePeriod,
            @Schema(description = "The tax invoice, once paid") DocumentRef invoice) {
    }

    @Schema(name = "Payment", description = "A payment received for an order")
    public record PaymentRequest(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9_.:-]{3,80}", message = "must be 3 to 80 letters, digits or _.:-")
            @Schema(description = "The payment's reference at the gateway or bank", example = "pay_NQ2x8Kd7vPq1") String reference,
            @NotNull @Schema(description = "Must equal the order's grand total") Money amount) {
    }

    @Schema(name = "GatewayPayment", description = "The payment gateway's notice that an order was paid (signed with HMAC-SHA256)")
    public record GatewayNotice(
            @NotNull @Schema(example = "0b9c7f56-0d6e-4c43-9a57-2b8f3f1e6d10") UUID orderId,
            @NotBlank @Pattern(regexp = "[A-Za-z0-9_.:-]{3,80}", message = "must be 3 to 80 letters, digits or _.:-")
            @Schema(example = "pay_NQ2x8Kd7vPq1") String reference,
            @NotNull Money amount) {
    }

    @Schema(name = "PaymentException", description = "A payment the gateway captured but this service refused; to be refunded or settled")
    public record PaymentExceptionView(
            @Schema(required = true, example = "pay_NQ2x8Kd7vPq1") String reference,
            @Schema(example = "0b9c7f56-0d6e-4c43-9a57-2b8f3f1e6d10") UUID orderId,
            @Schema(required = true) Money amount,
            @Schema(required = true, example = "Order 0b9c7f56-0d6e-4c43-9a57-2b8f3f1e6d10 is already paid, with another payment reference.") String reason,
            @Schema(required = true, example = "2026-11-21T09:30:00Z") Instant receivedAt) {
    }

    // ---- returns -------------------------------------------------------------------------------------------------

    @Schema(name = "ReturnLine", description = "Units of an order line coming back")
    public record ReturnLine(@NotNull @Min(1) @Schema(example = "1") Integer lineNo,
            @NotNull @Min(1) @Max(10_000) @Schema(example = "1") Integer quantity) {
    }

    @Schema(name = "NewReturn", description = "Goods coming back within the return window; without lines, everything not yet returned")
    public record ReturnRequest(
            @Size(max = 100) List<@Valid @NotNull ReturnLine> lines,
            @Size(max = 20) @Schema(description = "Warehouse that takes the goods back; the order's when absent", example = "MUM-1") String warehouse,
            @NotBlank @Size(max = 200) @Schema(example = "Unopened, customer changed their mind") String reason) {
    }

    @Schema(name = "Return", description = "A return: goods restocked, volume reversed, a credit note issued and the refund recorded")
    public record ReturnView(
            @Schema(required = true, example = "4c2f9a71-3b1d-4a5e-8f0c-6d2e1b7a9c33") UUID id,
            @Schema(required = true, example = "0b9c7f56-0d6e-4c43-9a57-2b8f3f1e6d10") UUID orderId,
            @Schema(required = true, example = "MUM-1") String warehouse,
            @Schema(required = true) DocumentRef creditNote,
            @Schema(required = true) Money refund,
            @Schema(required = true, description = "RECORDED: the refund is owed and recorded; the gateway pays it out", example = "RECORDED") RefundStatus refundStatus,
            @Schema(required = true, description = "Period from which the volume was removed", example = "2026-11") String volumePeriod,
            @Schema(required = true) List<ReturnLine> lines,
            @Schema(required = true, example = "Unopened, customer changed their mind") String reason,
            @Schema(required = true, example = "2026-11-25T10:00:00Z") Instant createdAt) {
    }
}
