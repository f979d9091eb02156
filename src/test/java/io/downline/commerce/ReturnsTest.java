package io.downline.commerce;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.downline.support.Network;
import io.downline.support.Shop;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Returns: restock, volume reversal, credit notes, refund events, and the return window. */
@QuarkusTest
class ReturnsTest {

    @Test
    void partialThenFullReturnsCreditExactlyWhatWasInvoiced() {
        Accounts.Account admin = Accounts.create("admin");
        Accounts.Account support = Accounts.create("support");
        Shop.rate(admin, "IN", "33049931", "2017-07-01", "18");
        String sku = Shop.product(admin, "33049931", "333.33", "10.00", "7.50");
        String warehouse = Shop.warehouse(admin, "27", Shop.GSTIN_MAHARASHTRA);
        Shop.receive(admin, warehouse, sku, 10).then().statusCode(201);
        Shop.Distributor buyer = Shop.distributor(admin);
        JsonPath order = Shop.checkout(buyer.bearer(), "[" + Shop.line(sku, 3) + "]", "27", null).then().statusCode(201).extract().jsonPath();
        String orderId = order.getString("id");
        // 999.99 taxable, CGST and SGST 90.00 each: 1179.99 -> 1180.00
        assertEquals("1180.00", order.getString("grandTotal.amount"));
        JsonPath paid = Shop.pay(admin, orderId, "pay-ret-1", "1180.00").then().statusCode(200).extract().jsonPath();
        String period = paid.getString("volumePeriod");

        given().header("Authorization", buyer.bearer()).contentType(ContentType.JSON).body("{\"reason\":\"no\"}")
                .post("/api/v1/orders/" + orderId + "/returns").then().statusCode(403);
        given().header("Authorization", support.bearer()).contentType(ContentType.JSON)
                .body("{\"lines\":[{\"lineNo\":1,\"quantity\":4}],\"reason\":\"Too many\"}")
                .post("/api/v1/orders/" + orderId + "/returns").then().statusCode(400).body("errors[0].field", equalTo("lines[0].quantity"));
        given().header("Authorization", support.bearer()).contentType(ContentType.JSON)
                .body("{\"lines\":[{\"lineNo\":1,\"quantity\":1},{\"lineNo\":9,\"quantity\":1}],\"reason\":\"No such line\"}")
                .post("/api/v1/orders/" + orderId + "/returns").then().statusCode(400).body("errors[0].field", equalTo("lines[1].lineNo"));
        given().header("Authorization", support.bearer()).contentType(ContentType.JSON)
                .body("{\"lines\":[{\"lineNo\":1,\"quantity\":1},{\"lineNo\":1,\"quantity\":1}],\"reason\":\"Twice\"}")
                .post("/api/v1/orders/" + orderId + "/returns").then().statusCode(400).body("errors[0].field", equalTo("lines[1].lineNo"))
                .body("errors[0].message", equalTo("is listed twice"));

        // support staff take goods back only into a warehouse they represent
        given().header("Authorization", support.bearer()).contentType(ContentType.JSON)
                .body("{\"lines\":[{\"lineNo\":1,\"quantity\":1}],\"reason\":\"Damaged box\"}")
                .post("/api/v1/orders/" + orderId + "/returns").then().statusCode(403);
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body("{\"username\":\"" + support.username() + "\"}")
                .post("/api/v1/warehouses/" + warehouse + "/employees").then().statusCode(200);
        JsonPath first = given().header("Authorization", support.bearer()).contentType(ContentType.JSON)
                .body("{\"lines\":[{\"lineNo\":1,\"quantity\":1}],\"reason\":\"Damaged box\"}")
                .post("/api/v1/orders/" + orderId + "/returns").then().statusCode(201)
                .body("creditNote.number", matchesPattern("Q[0-9A-Z]{2}C/[0-9]{4}/000001"))
                .body("refundStatus", equalTo("RECORDED"))
                // a third of each amount: taxable 333.33, CGST 30.00, SGST 30.00 = 393.33 -> 393.00
                .body("refund.amount", equalTo("393.00"))
                .extract().jsonPath();
        given().header("Authorization", buyer.bearer()).get("/api/v1/invoices/" + first.getString("creditNote.id")).then().statusCode(200)
                .body("type", equalTo("CRN"))
                .body("title", equalTo("Credit Note"))
                .body("original.number", equalTo(paid.getString("invoice.number")))
                .body("totals.taxable.amount", equalTo("333.33"))
                .body("totals.cgst.amount", equalTo("30.00"));
        given().header("Authorization", admin.bearer()).get("/api/v1/members/" + buyer.memberCode() + "/volume?period=" + period).then()
                .body("pv", equalTo(20.0f)).body("bv", equalTo(15.0f));
        given().header("Authorization", admin.bearer()).get("/api/v1/warehouses/" + warehouse + "/stock").then()
                .body("items.find { it.sku == '" + sku + "' }.quantity", equalTo(8));

        JsonPath rest = given().header("Authorization", support.bearer()).contentType(ContentType.JSON).body("{\"reason\":\"Changed mind\"}")
                .post("/api/v1/orders/" + orderId + "/returns").then().statusCode(201)
                .body("lines[0].quantity", equalTo(2)).extract().jsonPath();
        assertEquals("0.00", Network.query("""
                select (sum(case when doc_type = 'INV' then taxable else -taxable end))::text from tax.invoice where order_id = ?::uuid""", orderId),
                "the credit notes add up to the invoice's taxable value");
        assertEquals("0.00", Network.query("""
                select (sum(case when doc_type = 'INV' then cgst + sgst else -(cgst + sgst) end))::text from tax.invoice where order_id = ?::uuid""",
                orderId), "and to its tax");
        given().header("Authorization", admin.bearer()).get("/api/v1/members/" + buyer.memberCode() + "/volume?period=" + period).then()
                .body("pv", equalTo(0.0f)).body("bv", equalTo(0.0f));
        given().header("Authorization", support.bearer()).contentType(ContentType.JSON).body("{\"reason\":\"Again\"}")
                .post("/api/v1/orders/" + orderId + "/returns").then().statusCode(409);
        assertEquals("2", Network.query("select count(*)::text from commerce.outbox_event where type = 'order.refunded' and payload->>'orderId' = ?",
                orderId));
        assertEquals("-20.00", Network.query("""
                select payload->>'pv' from commerce.outbox_event where type = 'order.refunded' and payload->>'returnId' = ?""", rest.getString("id")));
        given().header("Authorization", buyer.bearer()).get("/api/v1/orders/" + orderId + "/returns").then().statusCode(200)
                .body("items.size()", equalTo(2)).body("next", nullValue()).body("items[0].creditNote.number", equalTo(first.getString("creditNote.number")));
    }

    @Test
    void refundsOfPartialReturnsAddUpToWhatWasPaid() {
        Accounts.Account admin = Accounts.create("admin");
        Shop.rate(admin, "IN", "21069933", "2017-07-01", "5");
        String sku = Shop.product(admin, "21069933", "50.00", "1.00", "1.00");
        String warehouse = Shop.warehouse(admin, "27", Shop.GSTIN_MAHARASHTRA);
        Shop.receive(admin, warehouse, sku, 10).then().statusCode(201);
        Shop.Distributor buyer = Shop.distributor(admin);
        // 100.00 taxable + 5.00 IGST = 105.00; each unit's credit note is 52.50, which rounds to 53
        String orderId = Shop.checkout(buyer.bearer(), "[" + Shop.line(sku, 2) + "]", "29", null).then().statusCode(201)
                .body("grandTotal.amount", equalTo("105.00")).extract().path("id");
        Shop.pay(admin, orderId, "pay-round-1", "105.00").then().statusCode(200);
        String one = "{\"lines\":[{\"lineNo\":1,\"quantity\":1}],\"reason\":\"One unit\"}";
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body(one).post("/api/v1/orders/" + orderId + "/returns")
                .then().statusCode(201).body("refund.amount", equalTo("53.00"));
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body(one).post("/api/v1/orders/" + orderId + "/returns")
                .then().statusCode(201).body("refund.amount", equalTo("52.00"));
        assertEquals("105.00", Network.query("select sum((payload->>'refund')::numeric)::text from commerce.outbox_event "
                + "where type = 'order.refunded' and payload->>'orderId' = ?", orderId), "never more or less than was paid");
    }

    @Test
    void aReturnAfterTheWindowIsRefusedAndChangesNothing() {
        Accounts.Account admin = Accounts.create("admin");
        Shop.rate(admin, "IN", "33049932", "2017-07-01", "18");
        String sku = Shop.product(admin, "33049932", "100.00", "5.00", "5.00");
        String warehouse = Shop.warehouse(admin, "27", Shop.GSTIN_MAHARASHTRA);
        Shop.receive(admin, warehouse, sku, 5).then().statusCode(201);
        Shop.Distributor buyer = Shop.distributor(admin);
        String orderId = Shop.checkout(buyer.bearer(), "[" + Shop.line(sku, 1) + "]", "27", null).then().statusCode(201).extract().path("id");
        Shop.pay(admin, orderId, "pay-late-1", "118.00").then().statusCode(200);
        // paid 31 days ago: the 30-day window has closed
        Network.query("update commerce.customer_order set paid_at = paid_at - interval '31 days' where id = ?::uuid returning id", orderId);

        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body("{\"reason\":\"Late\"}")
                .post("/api/v1/orders/" + orderId + "/returns").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:downline:problem:return-window-closed"));
        assertEquals("0", Network.query("select count(*)::text from commerce.order_return where order_id = ?::uuid", orderId));
        assertEquals("0", Network.query("select count(*)::text from tax.invoice where doc_type = 'CRN' and order_id = ?::uuid", orderId));
        assertEquals("0", Network.query("select count(*)::text from commerce.outbox_event where type = 'order.refunded' and payload->>'orderId' = ?",
                orderId));
        given().header("Authorization", admin.bearer()).get("/api/v1/warehouses/" + warehouse + "/stock").then()
                .body("items.find { it.sku == '" + sku + "' }.quantity", equalTo(4));
    }
}
