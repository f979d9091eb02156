package io.downline.contract;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The committed openapi/openapi.yaml is the contract clients are generated from: the document the code produces must
 * equal it, and every operation in it must be complete.
 */
@QuarkusTest
class ContractTest {

    static final Path COMMITTED = Path.of("openapi/openapi.yaml");
    /**
     * Log in, refresh, activate a new account, and join through a referral link: everything else needs a token, except the
     * payment gateway's webhook, which its HMAC signature authenticates.
     */
    static final Set<String> PUBLIC_OPERATIONS = Set.of("createToken", "refreshToken", "activateAccount", "register",
            "receivePaymentWebhook", "requestPasswordReset", "resendActivationCode", "resetPassword",
            "fileCustomerGrievance", "getCustomerGrievance", "replyToCustomerGrievance");

    static JsonNode committed() throws IOException {
        return new YAMLMapper().readTree(COMMITTED.toFile());
    }

    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Test
    void generatedDocumentEqualsTheCommittedContract() throws IOException {
        String served = given().queryParam("format", "json").get(management.resolve("/q/openapi")).then().statusCode(200).extract().asString();
        JsonNode generated = new ObjectMapper().readTree(served);
        if (!generated.equals(committed())) {
            Path actual = Path.of("target/openapi-served.yaml");
            Files.createDirectories(actual.getParent());
            new YAMLMapper().writeValue(actual.toFile(), generated);
            fail("The API changed but openapi/openapi.yaml did not. Review the change and run scripts/update-contract.sh "
                    + "(the generated document is in " + actual + ").");
        }
    }

    @Test
    void everyOperationIsComplete() throws IOException {
        JsonNode contract = committed();
        List<String> problems = new ArrayList<>();
        Set<String> operationIds = new TreeSet<>();
        Set<String> publicOperations = new TreeSet<>();
        contract.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            JsonNode operation = method.getValue();
            String name = method.getKey().toUpperCase() + " " + path.getKey();
            String id = operation.path("operationId").asText("");
            if (id.isEmpty() || !operationIds.add(id)) {
                problems.add(name + ": missing or duplicate operationId");
            }
            if (operation.path("summary").asText("").isBlank()) {
                problems.add(name + ": no summary");
            }
            if (!operation.path("tags").isArray() || operation.path("tags").isEmpty()) {
                problems.add(name + ": no tag");
            }
            if (!operation.has("security")) {
                problems.add(name + ": no explicit security requirement");
            } else if (operation.path("security").isEmpty()) {
                publicOperations.add(id);
            } else {
                requireProblem(problems, name, operation, "401");
                requireProblem(problems, name, operation, "403");
            }
            requireProblem(problems, name, operation, "500");
            if (operation.has("requestBody")) {
                requireProblem(problems, name, operation, "400");
                requireProblem(problems, name, operation, "415");
            }
            boolean success = false;
            for (var response = operation.path("responses").fields(); response.hasNext();) {
                var entry = response.next();
                success |= entry.getKey().startsWith("2");
            }
            if (!success) {
                problems.add(name + ": no success response");
            }
        }));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals(PUBLIC_OPERATIONS, publicOperations, "operations open to anonymous callers");
    }

    @Test
    void everySchemaPropertyHasAnExample() throws IOException {
        List<String> missing = new ArrayList<>();
        committed().path("components").path("schemas").fields().forEachRemaining(schema -> {
            JsonNode properties = schema.getValue().path("properties");
            properties.fields().forEachRemaining(property -> {
                JsonNode value = property.getValue();
                boolean example = value.has("examples") || value.has("example");
                boolean nested = value.has("$ref") || value.path("items").has("$ref");
                if (!example && !nested) {
                    missing.add(schema.getKey() + "." + property.getKey());
                }
            });
        });
        assertTrue(missing.isEmpty(), "properties without an example: " + missing);
    }

    @Test
    void problemResponsesAreProblemJsonWithExamples() throws IOException {
        JsonNode responses = committed().path("components").path("responses");
        assertTrue(responses.size() >= 8, "standard problem responses are declared");
        responses.fields().forEachRemaining(response -> {
            JsonNode media = response.getValue().path("content").path("application/problem+json");
            assertEquals("#/components/schemas/Problem", media.path("schema").path("$ref").asText(), response.getKey());
            assertTrue(media.path("examples").size() >= 1, response.getKey());
            media.path("examples").forEach(example -> assertTrue(example.path("value").path("type").asText().startsWith("urn:downline:problem:"),
                    response.getKey()));
        });
    }

    private static void requireProblem(List<String> problems, String name, JsonNode operation, String status) {
        String ref = operation.path("responses").path(status).path("$ref").asText("");
        if (!ref.startsWith("#/components/responses/")) {
            problems.add(name + ": no problem response for " + status);
        }
    }
}
