package io.downline.commerce;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.downline.support.Shop;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Stock movements by employees, the receipts and expenses report, and the sales and tax reconciliation. */
@QuarkusTest
class WarehouseAndReportsTest {

    @Test
    void representativesMoveTheirWarehousesStockWhichNeverGoesNegative() {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account rep = Accounts.create("support");
        Accounts.Account otherRep = Accounts.create("support");
        Shop.rate(admin, "IN", "33049941", "2017-07-01", "18");
        String sku = Shop.product(admin, "33049941", "10.00", "1.00", "1.00");
        String pune = Shop.warehouse(admin, "27", Shop.GSTIN_MAHARASHTRA);
        String nagpur = Shop.warehouse(admin, "27", Shop.GSTIN_MAHARASHTRA);
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body("{\"username\":\"" + rep.username() + "\"}")
                .post("/api/v1/warehouses/" + pune + "/employees").then().statusCode(200).body("employees", equalTo(List.of(rep.username())));
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body("{\"username\":\"nobody-at-all\"}")
                .post("/api/v1/warehouses/" + pune + "/employees").then().statusCode(400).body("errors[0].field", equalTo("username"));

        Shop.receive(otherRep, pune, sku, 5).then().statusCode(403);
        Shop.receive(rep, pune, sku, 20).then().statusCode(201).body("items[0].actor", equalTo(rep.username()))
                .body("items[0].unitCost.amount", equalTo("10.00"));
        move(rep, pune, "{\"kind\":\"ADJUSTMENT\",\"sku\":\"" + sku + "\",\"quantity\":-21,\"reason\":\"Count\"}").then().statusCode(409)
                .body("type", equalTo("urn:downline:problem:out-of-stock"));
        move(rep, pune, "{\"kind\":\"ADJUSTMENT\",\"sku\":\"" + sku + "\",\"quantity\":-2,\"reason\":\"Broken\"}").then().statusCode(201)
                .body("items[0].balance", equalTo(18));
        move(rep, pune, "{\"kind\":\"SALE\",\"sku\":\"" + sku + "\",\"quantity\":1,\"reason\":\"By hand\"}").then().statusCode(400)
                .body("errors[0].field", equalTo("kind"));
        move(rep, pune, "{\"kind\":\"TRANSFER_OUT\",\"sku\":\"" + sku + "\",\"quantity\":8,\"reason\":\"Rebalance\",\"toWarehouse\":\"" + nagpur + "\"}")
                .then().statusCode(201)
                .body("items.find { it.kind == 'TRANSFER_OUT' }.balance", equalTo(10))
                .body("items.find { it.kind == 'TRANSFER_IN' }.balance", equalTo(8))
                .body("items.find { it.kind == 'TRANSFER_IN' }.warehouse", equalTo(nagpur));
        given().header("Authorization", admin.bearer()).get("/api/v1/warehouses/" + pune + "/stock-movements?limit=2").then().statusCode(200)
                .body("items.size()", equalTo(2)).body("items[0].kind", equalTo("TRANSFER_OUT")).body("next", org.hamcrest.Matchers.notNullValue());

        given().header("Authorization", rep.bearer()).contentType(ContentType.JSON)
                .body("{\"amount\":{\"amount\":\"1500.00\",\"currency\":\"INR\"},\"description\":\"Freight\",\"spentOn\":\"" + LocalDate.now() + "\"}")
                .post("/api/v1/warehouses/" + pune + "/expenses").then().statusCode(201).body("actor", equalTo(rep.username()));
        String today = LocalDate.now().toString();
        given().header("Authorization", admin.bearer()).get("/api/v1/warehouses/" + pune + "/activity?from=" + today + "&to=" + today)
                .then().statusCode(200)
                .body("employees[0].employee", equalTo(rep.username()))
                .body("employees[0].receivedUnits", equalTo(20))
                .body("employees[0].receivedValue.amount", equalTo("200.00"))
                .body("employees[0].expenses.amount", equalTo("1500.00"))
                .body("expenses.amount", equalTo("1500.00"));
    }

    @Test
    void theSalesReportReconcilesInvoicesAndCreditNotesAsJsonAndCsv() {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account finance = Accounts.create("finance");
        Shop.rate(admin, "IN", "33049942", "2017-07-01", "18");
        String sku = Shop.product(admin, "33049942", "200.00", "2.00", "2.00");
        String warehouse = Shop.warehouse(admin, "29", Shop.GSTIN_KARNATAKA);
        Shop.receive(admin, warehouse, sku, 10).then().statusCode(201);
        Shop.Distributor buyer = Shop.distributor(admin);
        String intra = Shop.checkout(buyer.bearer(), "[" + Shop.line(sku, 2) + "]", "29", null).then().statusCode(201).extract().path("id");
        Shop.pay(finance, intra, "pay-rep-1", "472.00").then().statusCode(200);
        String inter = Shop.checkout(buyer.bearer(), "[" + Shop.line(sku, 1) + "]", "32", null).then().statusCode(201).extract().path("id");
        Shop.pay(finance, inter, "pay-rep-2", "236.00").then().statusCode(200);
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"lines\":[{\"lineNo\":1,\"quantity\":1}],\"reason\":\"Return\"}")
                .post("/api/v1/orders/" + intra + "/returns").then().statusCode(201);

        String today = LocalDate.now(ZoneId.of("Asia/Kolkata")).toString();
        given().header("Authorization", buyer.bearer()).get("/api/v1/reports/sales?from=" + today + "&to=" + today).then().statusCode(403);
        JsonPath report = given().header("Authorization", finance.bearer())
                .get("/api/v1/reports/sales?from=" + today + "&to=" + today + "&country=IN").then().statusCode(200).extract().jsonPath();
        String karnataka = "rows.find { it.warehouse == '" + warehouse + "' && it.region == '29' }";
        assertEquals(1, report.getInt(karnataka + ".invoices"));
        assertEquals("400.00", report.getString(karnataka + ".taxable.amount"));
        assertEquals("36.00", report.getString(karnataka + ".cgst.amount"));
        assertEquals("36.00", report.getString(karnataka + ".sgst.amount"));
        assertEquals(1, report.getInt(karnataka + ".creditNotes"));
        assertEquals("200.00", report.getString(karnataka + ".creditedTaxable.amount"));
        assertEquals("200.00", report.getString(karnataka + ".netTaxable.amount"));
        assertEquals("36.00", report.getString(karnataka + ".netTax.amount"));
        String kerala = "rows.find { it.warehouse == '" + warehouse + "' && it.region == '32' }";
        assertEquals("36.00", report.getString(kerala + ".igst.amount"));
        assertEquals("0.00", report.getString(kerala + ".cgst.amount"));

        String csv = given().header("Authorization", finance.bearer()).get("/api/v1/reports/sales.csv?from=" + today + "&to=" + today)
                .then().statusCode(200).contentType("text/csv").extract().asString();
        assertTrue(csv.startsWith("country,region,warehouse,period,currency,invoices,taxable,cgst,sgst,utgst,igst,vat,credit_notes,"), csv);
        assertTrue(csv.contains("IN,29," + warehouse + "," + today.substring(0, 7) + ",INR,1,400.00,36.00,36.00,0.00,0.00,0.00,1,200.00,18.00,18.00,"
                + "0.00,0.00,0.00,200.00,36.00"), csv);
        given().header("Authorization", finance.bearer()).get("/api/v1/reports/sales?from=" + today + "&to=2000-01-01").then().statusCode(400)
                .body("errors[0].field", equalTo("to"));
    }

    private static io.restassured.response.Response move(Accounts.Account actor, String warehouse, String body) {
        return given().header("Authorization", actor.bearer()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/warehouses/" + warehouse + "/stock-movements");
    }
}
