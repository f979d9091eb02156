package io.downline.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.net.URI;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Health, metrics and the contract are served on the management port only, never on the public API port. */
@QuarkusTest
class OperationsEndpointsTest {

    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Test
    void healthIncludesTheDatabase() {
        given().get(management.resolve("/q/health/live")).then().statusCode(200).body("status", equalTo("UP"));
        given().get(management.resolve("/q/health/ready")).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL")));
    }

    @Test
    void prometheusMetricsCoverHttpAndThePool() {
        given().get("/api/v1/no-such-thing").then().statusCode(404);
        given().get(management.resolve("/q/metrics")).then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString("sql_pool_active"))
                .body(containsString("postgresql_queue_size"))
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void swaggerUiAndTheContractAreServed() {
        given().get(management.resolve("/q/openapi")).then().statusCode(200).body(containsString("Downline API"));
        given().get(management.resolve("/q/swagger-ui/")).then().statusCode(200).body(containsString("swagger"));
    }

    @Test
    void theApiPortServesNoOperationalEndpoints() {
        for (String path : new String[] { "/q/health/ready", "/q/metrics", "/q/openapi" }) {
            given().get(path).then().statusCode(404).contentType("application/problem+json");
        }
    }
}
