package io.downline.commerce;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import io.downline.common.Hashing;
import io.downline.support.Accounts;
import io.downline.support.Network;
import io.downline.support.Shop;
import io.downline.tax.api.FinancialYear;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.downline.commerce.store.CatalogueRepository;

/** Checkout prices and taxes on the server; payment takes stock, issues the invoice, records volume and the outbox event. */
@QuarkusTest
class CheckoutAndPaymentTest {

    @Inject
    CatalogueRepository catalogue;

    @Inject
    Pool pool;

    /** Invoices are dated in India's time zone; the financial year of today's invoices. */
    private static final FinancialYear FY = FinancialYear.of(LocalDate.now(java.time.ZoneId.of("Asia/Kolkata")));

    @Test
    void anIntraStateOrderIsTaxedPaidOnceAndInvoiced() throws IOException {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account finance = Accounts.create("finance");
        Shop.rate(admin, "IN", "33049911", "2017-07-01", "18");
        Shop.rate(admin, "IN", "21069911", "2017-07-01", "12");
        Shop.rate(admin, "IN", "21069911", "2025-09-22", "5");
        String shake = Shop.product(admin, "33049911", "349.50", "25.00", "20.00");
        String bar = Shop.product(admin, "21069911", "100.10", "5.00", "4.00");
        String warehouse = Shop.warehouse(admin, "27", Shop.GSTIN_MAHARASHTRA);
        Shop.receive(admin, warehouse, shake, 10).then().statusCode(201).body("items[0].balance", equalTo(10));
        Shop.receive(admin, warehouse, bar, 10).then().statusCode(201);
        Shop.Distributor buyer = Shop.distributor(admin);

        // prices come from the server: a client that sends one is refused
        given().header("Authorization", buyer.bearer()).contentType(ContentType.JSON)
                .body("{\"lines\":[{\"sku\":\"" + shake + "\",\"quantity\":1,\"unitPrice\":\"1.00\"}],\"delivery\":" + Shop.delivery("27") + "}")
                .post("/api/v1/orders").then().statusCode(400);
        Shop.checkout(buyer.bearer(), "[" + Shop.line("NO-SUCH-SKU", 1) + "]", "27", null).then().statusCode(400)
                .body("errors[0].field", equalTo("lines[0].sku"));
        Shop.checkout(buyer.bearer(), "[" + Shop.line(shake, 11) + "]", "27", null).then().statusCode(409)
                .body("type", equalTo("urn:downline:problem:out-of-stock"));

        JsonPath order = Shop.checkout(buyer.bearer(), "[" + Shop.line(shake, 1) + "," + Shop.line(bar, 1) + "]", "27", null)
                .then().statusCode(201)
                .body("status", equalTo("PENDING"))
                .body("warehouse", equalTo(warehouse))
                .body("supplyType", equalTo("INTRA_STATE"))
                .body("lines[0].cgst.amount", equalTo("31.46"))
                .body("lines[0].sgst.amount", equalTo("31.46"))
                .body("lines[1].rate", equalTo(5.0f))
                .body("lines[1].cgst.amount", equalTo("2.50"))
                .body("taxableTotal.amount", equalTo("449.60"))
                .body("taxTotal.amount", equalTo("67.92"))
                .body("roundOff.amount", equalTo("0.48"))
                .body("grandTotal.amount", equalTo("518.00"))
                .body("invoice", nullValue())
                .extract().jsonPath();
        String orderId = order.getString("id");

        Shop.pay(finance, orderId, "pay_first_0001", "517.52").then().statusCode(400).body("errors[0].field", equalTo("amount"));
        JsonPath paid = Shop.pay(finance, orderId, "pay_first_0001", "518.00").then().statusCode(200)
                .body("status", equalTo("PAID"))
                .body("paymentReference", equalTo("pay_first_0001"))
                .body("invoice.number", matchesPattern("Q[0-9A-Z]{2}/" + FY.compact() + "/000001"))
                .extract().jsonPath();
        String invoiceId = paid.getString("invoice.id");
        // the same payment again changes nothing; another payment of a paid order is a conflict
        Shop.pay(finance, orderId, "pay_first_0001", "518.00").then().statusCode(200).body("invoice.id", equalTo(invoiceId));
        Shop.pay(finance, orderId, "pay_other_0002", "518.00").then().statusCode(409);

        given().header("Authorization", admin.bearer()).get("/api/v1/warehouses/" + warehouse + "/stock").then().statusCode(200)
                .body("items.find { it.sku == '" + shake + "' }.quantity", equalTo(9))
                .body("items.find { it.sku == '" + bar + "' }.quantity", equalTo(9));
        given().header("Authorization", admin.bearer()).get("/api/v1/warehouses/" + warehouse + "/stock-movements?limit=1").then()
                .statusCode(200).body("items[0].kind", equalTo("SALE")).body("items[0].quantity", equalTo(-1))
                .body("items[0].balance", equalTo(9)).body("items[0].orderId", equalTo(orderId));
        String period = paid.getString("volumePeriod");
        given().header("Authorization", admin.bearer()).get("/api/v1/members/" + buyer.memberCode() + "/volume?period=" + period)
                .then().statusCode(200).body("pv", equalTo(30.0f)).body("bv", equalTo(24.0f));
        assertEquals("1", Network.query("select count(*) from commerce.outbox_event where type = 'order.paid' and payload->>'orderId' = ?", orderId));
        assertEquals(paid.getString("invoice.number"),
                Network.query("select payload->>'invoiceNumber' from commerce.outbox_event where payload->>'orderId' = ?", orderId));

        given().header("Authorization", buyer.bearer()).get("/api/v1/invoices/" + invoiceId).then().statusCode(200)
                .body("type", equalTo("INV"))
                .body("title", equalTo("Tax Invoice"))
                .body("financialYear", equalTo(FY.label()))
                .body("seller.taxId", equalTo(Shop.GSTIN_MAHARASHTRA))
                .body("placeOfSupply.code", equalTo("27"))
                .body("placeOfSupply.name", equalTo("Maharashtra"))
                .body("reverseCharge", equalTo(false))
                .body("lines[0].hsn", equalTo("33049911"))
                .body("lines[0].unit", equalTo("NOS"))
                .body("hsnSummary.size()", equalTo(2))
                .body("totals.total.amount", equalTo("518.00"))
                .body("totals.roundOff.amount", equalTo("0.48"))
                .body("amountInWords", equalTo("Rupees Five Hundred Eighteen Only"))
                .body("irn", nullValue());
        given().header("Authorization", buyer.bearer()).get("/api/v1/invoices/" + invoiceId + "/e-invoice").then().statusCode(404);

        byte[] pdf = given().header("Authorization", buyer.bearer()).get("/api/v1/invoices/" + invoiceId + "/pdf").then().statusCode(200)
                .contentType("application/pdf").extract().asByteArray();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(document);
            for (String expected : List.of("Tax Invoice", paid.getString("invoice.number"), "GSTIN/Tax id: " + Shop.GSTIN_MAHARASHTRA,
                    "Place of supply: Maharashtra (27)", "HSN summary", "33049911", "21069911", "CGST: 33.96", "SGST: 33.96",
                    "Round off: 0.48", "Total: INR 518.00", "Amount in words: Rupees Five Hundred Eighteen Only", "Authorised Signatory")) {
                assertTrue(text.contains(expected), "PDF lacks \"" + expected + "\":\n" + text);
            }
        }

        Shop.Distributor stranger = Shop.distributor(admin);
        given().header("Authorization", stranger.bearer()).get("/api/v1/orders/" + orderId).then().statusCode(404);
        given().header("Authorization", stranger.bearer()).get("/api/v1/invoices/" + invoiceId).then().statusCode(404);
        given().header("Authorization", stranger.bearer()).get("/api/v1/orders").then().statusCode(200).body("items.size()", equalTo(0));
        given().header("Authorization", buyer.bearer()).get("/api/v1/orders").then().statusCode(200).body("items[0].id", equalTo(orderId));
    }

    @Test
    void aSignedNoticeWithAnAmountTooLargeToStoreIsRefusedAndStillKeptForFinance() throws Exception {
        Accounts.Account admin = Accounts.create("admin");
        String reference = "gw_" + UUID.randomUUID().toString().substring(0, 12);
        String body = "{\"orderId\":\"" + UUID.randomUUID() + "\",\"reference\":\"" + reference + "\","
                + "\"amount\":{\"amount\":\"999999999999999999.99\",\"currency\":\"INR\"}}";
        given().contentType(ContentType.JSON).header("X-Signature", sign(body)).body(body).post("/api/v1/payment-webhooks")
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", admin.bearer()).queryParam("limit", 200).get("/api/v1/payment-exceptions").then().statusCode(200)
                .body("items.find { it.reference == '" + reference + "' }.amount.amount", equalTo("999999999999999999.99"));
    }

    @Test
    void anInterStateBusinessOrderIsPaidByTheSignedWebhookAndHasAnEInvoice() throws Exception {
        Accounts.Account admin = Accounts.create("admin");
        Shop.rate(admin, "IN", "33049912", "2017-07-01", "18");
        String cream = Shop.product(admin, "33049912", "1000.00", "40.00", "30.00");
        String bengaluru = Shop.warehouse(admin, "29", Shop.GSTIN_KARNATAKA);
        String mumbai = Shop.warehouse(admin, "27", Shop.GSTIN_MAHARASHTRA);
        Shop.receive(admin, bengaluru, cream, 5).then().statusCode(201);
        Shop.receive(admin, mumbai, cream, 8).then().statusCode(201);
        Shop.Distributor buyer = Shop.distributor(admin);

        // same state first: Bengaluru for a Karnataka delivery although Mumbai has more
        Shop.checkout(buyer.bearer(), "[" + Shop.line(cream, 1) + "]", "29", null).then().statusCode(201)
                .body("warehouse", equalTo(bengaluru)).body("supplyType", equalTo("INTRA_STATE"));
        Shop.checkout(buyer.bearer(), "[" + Shop.line(cream, 1) + "]", "32", "\"customer\":{\"name\":\"Kochi Traders\",\"gstin\":\"32AAACR5055K1Z5\"}")
                .then().statusCode(400).body("errors[0].field", equalTo("customer.gstin"));
        JsonPath order = Shop.checkout(buyer.bearer(), "[" + Shop.line(cream, 2) + "]", "32",
                "\"customer\":{\"name\":\"Kochi Traders\",\"gstin\":\"" + Shop.GSTIN_KERALA_BUYER + "\"}")
                .then().statusCode(201)
                .body("warehouse", equalTo(mumbai))
                .body("supplyType", equalTo("INTER_STATE"))
                .body("forCustomer", equalTo(true))
                .body("lines[0].igst.amount", equalTo("360.00"))
                .body("lines[0].cgst.amount", equalTo("0.00"))
                .body("grandTotal.amount", equalTo("2360.00"))
                .extract().jsonPath();
        String orderId = order.getString("id");

        String body = "{\"orderId\":\"" + orderId + "\",\"reference\":\"gw_778899\",\"amount\":{\"amount\":\"2360.00\",\"currency\":\"INR\"}}";
        given().contentType(ContentType.JSON).header("X-Signature", sign(body.replace("2360", "2361"))).body(body)
                .post("/api/v1/payment-webhooks").then().statusCode(403);
        given().contentType(ContentType.JSON).body(body).post("/api/v1/payment-webhooks").then().statusCode(400)
                .body("errors[0].field", equalTo("X-Signature"));
        given().header("Authorization", admin.bearer()).get("/api/v1/orders/" + orderId).then().body("status", equalTo("PENDING"));
        JsonPath paid = given().contentType(ContentType.JSON).header("X-Signature", sign(body)).body(body)
                .post("/api/v1/payment-webhooks").then().statusCode(200).body("status", equalTo("PAID")).extract().jsonPath();
        given().contentType(ContentType.JSON).header("X-Signature", sign(body)).body(body)
                .post("/api/v1/payment-webhooks").then().statusCode(200).body("invoice.id", equalTo(paid.getString("invoice.id")));
        // the customer paid twice at the gateway: the second capture is refused and kept for finance to refund
        String twice = body.replace("gw_778899", "gw_778900");
        given().contentType(ContentType.JSON).header("X-Signature", sign(twice)).body(twice)
                .post("/api/v1/payment-webhooks").then().statusCode(409);
        given().header("Authorization", admin.bearer()).queryParam("limit", 200).get("/api/v1/payment-exceptions").then().statusCode(200)
                .body("items.find { it.reference == 'gw_778900' }.orderId", equalTo(orderId))
                .body("items.find { it.reference == 'gw_778900' }.amount.amount", equalTo("2360.00"));
        given().header("Authorization", buyer.bearer()).get("/api/v1/payment-exceptions").then().statusCode(403);

        String number = paid.getString("invoice.number");
        String irn = Hashing.sha256Hex(Shop.GSTIN_MAHARASHTRA + FY.label() + "INV" + number);
        given().header("Authorization", buyer.bearer()).get("/api/v1/invoices/" + paid.getString("invoice.id")).then().statusCode(200)
                .body("buyer.taxId", equalTo(Shop.GSTIN_KERALA_BUYER))
                .body("buyer.name", equalTo("Kochi Traders"))
                .body("placeOfSupply.code", equalTo("32"))
                .body("totals.igst.amount", equalTo("360.00"))
                .body("irn", equalTo(irn));
        given().header("Authorization", admin.bearer()).get("/api/v1/invoices/" + paid.getString("invoice.id") + "/e-invoice").then()
                .statusCode(200)
                .body("Version", equalTo("1.1"))
                .body("Irn", equalTo(irn))
                .body("TranDtls.SupTyp", equalTo("B2B"))
                .body("DocDtls.Typ", equalTo("INV"))
                .body("DocDtls.No", equalTo(number))
                .body("SellerDtls.Gstin", equalTo(Shop.GSTIN_MAHARASHTRA))
                .body("BuyerDtls.Gstin", equalTo(Shop.GSTIN_KERALA_BUYER))
                .body("BuyerDtls.Pos", equalTo("32"))
                .body("ItemList[0].HsnCd", equalTo("33049912"))
                .body("ItemList[0].IgstAmt", equalTo(360.00f))
                .body("ValDtls.TotInvVal", equalTo(2360.00f));

        // the credit note of a B2B return has its own e-invoice and IRN, as a CRN
        JsonPath creditNote = given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"lines\":[{\"lineNo\":1,\"quantity\":1}],\"reason\":\"Damaged\"}")
                .post("/api/v1/orders/" + orderId + "/returns").then().statusCode(201).extract().jsonPath();
        String noteNumber = creditNote.getString("creditNote.number");
        given().header("Authorization", admin.bearer()).get("/api/v1/invoices/" + creditNote.getString("creditNote.id") + "/e-invoice").then()
                .statusCode(200)
                .body("DocDtls.Typ", equalTo("CRN"))
                .body("DocDtls.No", equalTo(noteNumber))
                .body("Irn", equalTo(Hashing.sha256Hex(Shop.GSTIN_MAHARASHTRA + FY.label() + "CRN" + noteNumber)))
                .body("ValDtls.IgstVal", equalTo(180.00f))
                .body("ValDtls.TotInvVal", equalTo(1180.00f));
    }

    @Test
    void withinAUnionTerritoryTheTaxIsCgstPlusUtgst() {
        Accounts.Account admin = Accounts.create("admin");
        Shop.rate(admin, "IN", "33049913", "2017-07-01", "5");
        String soap = Shop.product(admin, "33049913", "100.10", "1.00", "1.00");
        String chandigarh = Shop.warehouse(admin, "04", Shop.GSTIN_CHANDIGARH);
        Shop.receive(admin, chandigarh, soap, 3).then().statusCode(201);
        Shop.Distributor buyer = Shop.distributor(admin);
        Shop.checkout(buyer.bearer(), "[" + Shop.line(soap, 1) + "]", "04", null).then().statusCode(201)
                .body("supplyType", equalTo("INTRA_UNION_TERRITORY"))
                .body("lines[0].cgst.amount", equalTo("2.50"))
                .body("lines[0].utgst.amount", equalTo("2.50"))
                .body("lines[0].sgst.amount", equalTo("0.00"))
                .body("grandTotal.amount", equalTo("105.00"));
    }

    @Test
    void theRateInForceOnTheInvoiceDateApplies() {
        Accounts.Account admin = Accounts.create("admin");
        Shop.rate(admin, "IN", "21069914", "2017-07-01", "12");
        Shop.rate(admin, "IN", "21069914", "2025-09-22", "5");
        Shop.rate(admin, "IN", "2106", "2017-07-01", "18");
        var rates = catalogue.ratesOn(pool, "IN", List.of("21069914", "21069999"), LocalDate.of(2025, 9, 21)).await().indefinitely();
        assertEquals(new BigDecimal("12.00"), rates.get("21069914"));
        assertEquals(new BigDecimal("18.00"), rates.get("21069999"), "the shorter prefix applies to other codes of the heading");
        assertEquals(new BigDecimal("5.00"),
                catalogue.ratesOn(pool, "IN", List.of("21069914"), LocalDate.of(2025, 9, 22)).await().indefinitely().get("21069914"));
        var kz = catalogue.ratesOn(pool, "KZ", List.of("33049911"), LocalDate.of(2025, 12, 31)).await().indefinitely();
        assertEquals(new BigDecimal("12.00"), kz.get("33049911"));
        assertEquals(new BigDecimal("16.00"),
                catalogue.ratesOn(pool, "KZ", List.of("33049911"), LocalDate.of(2026, 1, 1)).await().indefinitely().get("33049911"));
        given().header("Authorization", admin.bearer()).get("/api/v1/tax-rates?country=IN").then().statusCode(200)
                .body("items.findAll { it.hsnPrefix == '21069914' }.rate", equalTo(List.of(12.0f, 5.0f)));
    }

    @Test
    void aKazakhOrderBearsVatAtTheRateOfItsDate() throws IOException {
        Accounts.Account admin = Accounts.create("admin");
        String sku = Shop.unique("KZ");
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"sku\":\"" + sku + "\",\"name\":\"Vitamin C\",\"description\":\"60 tablets\",\"hsn\":\"21069961\",\"unit\":\"NOS\","
                        + "\"pv\":\"3.00\",\"bv\":\"2.00\",\"prices\":[{\"country\":\"KZ\",\"price\":{\"amount\":\"5000.00\",\"currency\":\"KZT\"}}]}")
                .post("/api/v1/products").then().statusCode(201);
        String almaty = Shop.unique("ALA");
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"code\":\"" + almaty + "\",\"name\":\"Almaty\",\"address\":\"12 Abay Avenue\",\"city\":\"Almaty\",\"postalCode\":\"050000\","
                        + "\"region\":\"ALA\",\"country\":\"KZ\",\"taxId\":\"123456789012\",\"invoiceSeries\":\"" + Shop.series() + "\"}")
                .post("/api/v1/warehouses").then().statusCode(201);
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"kind\":\"RECEIPT\",\"sku\":\"" + sku + "\",\"quantity\":4,\"reason\":\"Goods in\","
                        + "\"unitCost\":{\"amount\":\"10.00\",\"currency\":\"INR\"}}")
                .post("/api/v1/warehouses/" + almaty + "/stock-movements").then().statusCode(400)
                .body("errors[0].field", equalTo("unitCost.currency"));
        Shop.receive(admin, almaty, sku, 1).then().statusCode(400);
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"kind\":\"RECEIPT\",\"sku\":\"" + sku + "\",\"quantity\":4,\"reason\":\"Goods in\"}")
                .post("/api/v1/warehouses/" + almaty + "/stock-movements").then().statusCode(201);
        Shop.Distributor buyer = Shop.distributor(admin);
        String delivery = "{\"name\":\"Aigerim\",\"line1\":\"5 Dostyk\",\"city\":\"Almaty\",\"postalCode\":\"050010\",\"region\":\"ALA\",\"country\":\"KZ\"}";
        // VAT in force today: 16% from 1 Jan 2026 (12% before)
        BigDecimal rate = LocalDate.now(java.time.ZoneId.of("Asia/Almaty")).isBefore(LocalDate.of(2026, 1, 1)) ? new BigDecimal("12") : new BigDecimal("16");
        String vat = new BigDecimal("10000.00").multiply(rate).divide(new BigDecimal("100")).setScale(2).toPlainString();
        JsonPath order = given().header("Authorization", buyer.bearer()).contentType(ContentType.JSON)
                .body("{\"lines\":[" + Shop.line(sku, 2) + "],\"delivery\":" + delivery + "}").post("/api/v1/orders").then().statusCode(201)
                .body("supplyType", equalTo("VAT"))
                .body("lines[0].vat.amount", equalTo(vat))
                .body("lines[0].vat.currency", equalTo("KZT"))
                .body("lines[0].cgst.amount", equalTo("0.00"))
                .extract().jsonPath();
        String total = order.getString("grandTotal.amount");
        String invoiceId = given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"reference\":\"kz-pay-1\",\"amount\":{\"amount\":\"" + total + "\",\"currency\":\"KZT\"}}")
                .post("/api/v1/orders/" + order.getString("id") + "/payment").then().statusCode(200).extract().path("invoice.id");
        given().header("Authorization", buyer.bearer()).get("/api/v1/invoices/" + invoiceId).then().statusCode(200)
                .body("currency", equalTo("KZT")).body("seller.taxId", equalTo("123456789012")).body("totals.vat.amount", equalTo(vat))
                .body("irn", nullValue());
        byte[] pdf = given().header("Authorization", buyer.bearer()).get("/api/v1/invoices/" + invoiceId + "/pdf").then().statusCode(200)
                .extract().asByteArray();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(document);
            assertTrue(text.contains("VAT: " + vat) && text.contains("Total: KZT " + total) && text.contains("Tenge"), text);
        }
    }

    private static String sign(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("test-webhook-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
