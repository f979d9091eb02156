package io.downline.support;

import static io.restassured.RestAssured.given;

import java.util.concurrent.atomic.AtomicInteger;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Builds catalogue, warehouses, stock and distributors through the API for the commerce tests. */
public final class Shop {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** The company's GSTINs, one per state (valid check characters). */
    public static final String GSTIN_MAHARASHTRA = "27AAPFU0939F1ZV";
    public static final String GSTIN_KARNATAKA = "29AAGCB7383J1Z4";
    public static final String GSTIN_CHANDIGARH = "04AAACR5055K1ZF";
    public static final String GSTIN_KERALA_BUYER = "32AAACR5055K1ZG";

    private Shop() {
    }

    /** A name unique in this run: product SKUs, warehouse codes. */
    public static String unique(String prefix) {
        return prefix + "-" + Integer.toString(SEQUENCE.incrementAndGet(), 36).toUpperCase() + Long.toString(System.nanoTime() % 46656, 36).toUpperCase();
    }

    /** An invoice series no other warehouse of the run has: a letter and two base-36 characters. */
    public static String series() {
        int n = SEQUENCE.incrementAndGet() % (36 * NOT_C.length());
        return "Q" + Character.toUpperCase(Character.forDigit(n / NOT_C.length(), 36)) + NOT_C.charAt(n % NOT_C.length());
    }

    /** Last characters a series may end with: never C, which credit notes append. */
    private static final String NOT_C = "0123456789ABDEFGHIJKLMNOPQRSTUVWXYZ";

    public static void rate(Accounts.Account admin, String country, String hsnPrefix, String validFrom, String rate) {
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"country\":\"" + country + "\",\"hsnPrefix\":\"" + hsnPrefix + "\",\"validFrom\":\"" + validFrom + "\",\"rate\":" + rate + "}")
                .post("/api/v1/tax-rates").then().statusCode(201);
    }

    /** A product sold in India at the price (tax excluded), with PV and BV per unit. */
    public static String product(Accounts.Account admin, String hsn, String price, String pv, String bv) {
        String sku = unique("SKU");
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"sku\":\"" + sku + "\",\"name\":\"Product " + sku + "\",\"description\":\"For tests\",\"hsn\":\"" + hsn
                        + "\",\"unit\":\"NOS\",\"pv\":\"" + pv + "\",\"bv\":\"" + bv + "\",\"prices\":[{\"country\":\"IN\",\"price\":{\"amount\":\""
                        + price + "\",\"currency\":\"INR\"}}]}")
                .post("/api/v1/products").then().statusCode(201);
        return sku;
    }

    public static String warehouse(Accounts.Account admin, String region, String gstin) {
        String code = unique("WH");
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"code\":\"" + code + "\",\"name\":\"Warehouse " + code + "\",\"address\":\"1 Depot Road\",\"city\":\"Depot\","
                        + "\"postalCode\":\"400001\",\"region\":\"" + region + "\",\"country\":\"IN\",\"taxId\":\"" + gstin
                        + "\",\"invoiceSeries\":\"" + series() + "\"}")
                .post("/api/v1/warehouses").then().statusCode(201);
        return code;
    }

    public static Response receive(Accounts.Account actor, String warehouse, String sku, int quantity) {
        return given().header("Authorization", actor.bearer()).contentType(ContentType.JSON)
                .body("{\"kind\":\"RECEIPT\",\"sku\":\"" + sku + "\",\"quantity\":" + quantity + ",\"reason\":\"Goods in\","
                        + "\"unitCost\":{\"amount\":\"10.00\",\"currency\":\"INR\"}}")
                .post("/api/v1/warehouses/" + warehouse + "/stock-movements");
    }

    /** A new active distributor under the company root; returns the bearer header and member code. */
    public record Distributor(String bearer, String memberCode) {
    }

    public static Distributor distributor(Accounts.Account admin) {
        String root = Network.root(admin);
        JsonPath registration = Network.join(admin, root, "Buyer " + unique("D"));
        return new Distributor(Network.activate(registration), registration.getString("memberCode"));
    }

    public static String delivery(String region) {
        return "{\"name\":\"Asha Rao\",\"line1\":\"2 Park Street\",\"city\":\"Town\",\"postalCode\":\"682016\",\"region\":\"" + region
                + "\",\"country\":\"IN\"}";
    }

    public static Response checkout(String bearer, String linesJson, String region, String extra) {
        return given().header("Authorization", bearer).contentType(ContentType.JSON)
                .body("{\"lines\":" + linesJson + ",\"delivery\":" + delivery(region) + (extra == null ? "" : "," + extra) + "}")
                .post("/api/v1/orders");
    }

    public static String line(String sku, int quantity) {
        return "{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}";
    }

    public static Response pay(Accounts.Account staff, String orderId, String reference, String amount) {
        return given().header("Authorization", staff.bearer()).contentType(ContentType.JSON)
                .body("{\"reference\":\"" + reference + "\",\"amount\":{\"amount\":\"" + amount + "\",\"currency\":\"INR\"}}")
                .post("/api/v1/orders/" + orderId + "/payment");
    }
}
