package io.downline.commerce;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.downline.support.Accounts;
import io.downline.support.Shop;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The catalogue: validation, price changes that leave placed orders alone, taking a product off sale. */
@QuarkusTest
class CatalogueTest {

    @Test
    void aPriceChangeAppliesToNewOrdersOnlyAndAProductOffSaleCannotBeOrdered() {
        Accounts.Account admin = Accounts.create("admin");
        Shop.rate(admin, "IN", "33049951", "2017-07-01", "18");
        String sku = Shop.product(admin, "33049951", "100.00", "4.00", "3.00");
        String warehouse = Shop.warehouse(admin, "27", Shop.GSTIN_MAHARASHTRA);
        Shop.receive(admin, warehouse, sku, 10).then().statusCode(201);
        Shop.Distributor buyer = Shop.distributor(admin);
        String before = Shop.checkout(buyer.bearer(), "[" + Shop.line(sku, 1) + "]", "27", null).then().statusCode(201)
                .body("grandTotal.amount", equalTo("118.00")).extract().path("id");

        given().header("Authorization", buyer.bearer()).contentType(ContentType.JSON).body("{\"active\":false}")
                .patch("/api/v1/products/" + sku).then().statusCode(403);
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"prices\":[{\"country\":\"IN\",\"price\":{\"amount\":\"150.00\",\"currency\":\"KZT\"}}]}")
                .patch("/api/v1/products/" + sku).then().statusCode(400).body("errors[0].field", equalTo("prices[0].price.currency"));
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"pv\":\"5.00\",\"prices\":[{\"country\":\"IN\",\"price\":{\"amount\":\"150.00\",\"currency\":\"INR\"}}]}")
                .patch("/api/v1/products/" + sku).then().statusCode(200)
                .body("pv", equalTo(5.0f)).body("prices[0].price.amount", equalTo("150.00")).body("name", equalTo("Product " + sku));
        Shop.checkout(buyer.bearer(), "[" + Shop.line(sku, 1) + "]", "27", null).then().statusCode(201)
                .body("grandTotal.amount", equalTo("177.00")).body("pv", equalTo(5.0f));
        given().header("Authorization", buyer.bearer()).get("/api/v1/orders/" + before).then().statusCode(200)
                .body("grandTotal.amount", equalTo("118.00")).body("lines[0].unitPrice.amount", equalTo("100.00"));
        Shop.pay(admin, before, "pay-cat-1", "118.00").then().statusCode(200);

        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body("{\"active\":false}")
                .patch("/api/v1/products/" + sku).then().statusCode(200).body("active", equalTo(false));
        Shop.checkout(buyer.bearer(), "[" + Shop.line(sku, 1) + "]", "27", null).then().statusCode(400)
                .body("errors[0].field", equalTo("lines[0].sku")).body("errors[0].message", equalTo("is not on sale"));
        given().header("Authorization", buyer.bearer()).get("/api/v1/products/" + sku).then().statusCode(200).body("active", equalTo(false));
        given().header("Authorization", buyer.bearer()).get("/api/v1/products?limit=200").then().statusCode(200)
                .body("items.sku", not(hasItem(sku)));
        given().header("Authorization", admin.bearer()).get("/api/v1/products?limit=200").then().statusCode(200)
                .body("items.sku", hasItem(sku));
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON).body("{\"active\":true}")
                .patch("/api/v1/products/NO-SUCH-SKU").then().statusCode(404);
    }

    @Test
    void badCatalogueInputIsRefusedWithTheField() {
        Accounts.Account admin = Accounts.create("admin");
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"sku\":\"BAD-HSN\",\"name\":\"X\",\"description\":\"\",\"hsn\":\"33\",\"unit\":\"NOS\",\"pv\":\"1\",\"bv\":\"1\","
                        + "\"prices\":[{\"country\":\"IN\",\"price\":{\"amount\":\"1.00\",\"currency\":\"INR\"}}]}")
                .post("/api/v1/products").then().statusCode(400).body("errors[0].field", equalTo("hsn"));
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"sku\":\"NOWHERE\",\"name\":\"X\",\"description\":\"\",\"hsn\":\"3304\",\"unit\":\"NOS\",\"pv\":\"1\",\"bv\":\"1\","
                        + "\"prices\":[{\"country\":\"FR\",\"price\":{\"amount\":\"1.00\",\"currency\":\"EUR\"}}]}")
                .post("/api/v1/products").then().statusCode(400).body("errors[0].field", equalTo("prices[0].country"));
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"code\":\"BAD-GSTIN\",\"name\":\"W\",\"address\":\"A\",\"city\":\"C\",\"postalCode\":\"400001\",\"region\":\"27\","
                        + "\"country\":\"IN\",\"taxId\":\"27AAPFU0939F1ZW\",\"invoiceSeries\":\"BG\"}")
                .post("/api/v1/warehouses").then().statusCode(400).body("errors[0].field", equalTo("taxId"))
                .body("errors[0].message", equalTo("has a wrong check character"));
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"code\":\"WRONG-STATE\",\"name\":\"W\",\"address\":\"A\",\"city\":\"C\",\"postalCode\":\"400001\",\"region\":\"27\","
                        + "\"country\":\"IN\",\"taxId\":\"" + Shop.GSTIN_KARNATAKA + "\",\"invoiceSeries\":\"WS\"}")
                .post("/api/v1/warehouses").then().statusCode(400).body("errors[0].field", equalTo("taxId"));
        // "MHC" would share its numbers with the credit notes of a warehouse whose series is "MH"
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"code\":\"CREDIT-LIKE\",\"name\":\"W\",\"address\":\"A\",\"city\":\"C\",\"postalCode\":\"400001\",\"region\":\"27\","
                        + "\"country\":\"IN\",\"taxId\":\"" + Shop.GSTIN_MAHARASHTRA + "\",\"invoiceSeries\":\"MHC\"}")
                .post("/api/v1/warehouses").then().statusCode(400).body("errors[0].field", equalTo("invoiceSeries"));
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body("{\"country\":\"IN\",\"hsnPrefix\":\"3304\",\"validFrom\":\"2025-09-22\",\"rate\":101}")
                .post("/api/v1/tax-rates").then().statusCode(400).body("errors[0].field", equalTo("rate"));
    }
}
