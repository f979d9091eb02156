package io.downline.contract;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Walks every operation of the contract without a token: each must answer 401 unless the contract marks it public. */
@QuarkusTest
class AnonymousAccessTest {

    @Test
    void everyNonPublicOperationRejectsAnonymousCalls() throws IOException {
        List<String> failures = new ArrayList<>();
        int walked = 0;
        for (var path = ContractTest.committed().path("paths").fields(); path.hasNext();) {
            var pathEntry = path.next();
            for (var method = pathEntry.getValue().fields(); method.hasNext();) {
                var methodEntry = method.next();
                JsonNode operation = methodEntry.getValue();
                String url = pathEntry.getKey().replaceAll("\\{[^}]+}", "00000000-0000-0000-0000-000000000000");
                // The operation's own media type, so that content negotiation cannot answer before security does.
                var media = operation.path("requestBody").path("content").fieldNames();
                String contentType = media.hasNext() ? media.next() : "application/json";
                Response response = given().contentType(contentType).body("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .request(methodEntry.getKey().toUpperCase(), url);
                boolean isPublic = operation.path("security").isArray() && operation.path("security").isEmpty();
                String name = operation.path("operationId").asText();
                if (!isPublic && response.statusCode() != 401) {
                    failures.add(name + " answered " + response.statusCode() + " to an anonymous call");
                }
                if (!isPublic && !"application/problem+json".equals(response.contentType())) {
                    failures.add(name + " answered 401 without problem+json");
                }
                if (isPublic && response.statusCode() == 401) {
                    failures.add(name + " is public in the contract but answered 401");
                }
                walked++;
            }
        }
        assertTrue(walked >= 9, "walked only " + walked + " operations");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
