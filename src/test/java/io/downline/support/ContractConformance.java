package io.downline.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Holds every successful JSON answer the suite gets through REST Assured to the committed contract: its status must be
 * declared for the operation, every required field present (not null), every enum value listed, and no field undeclared.
 * Registered before each Quarkus test (META-INF/services), so every test that calls the API checks the contract too.
 */
public class ContractConformance implements Filter, QuarkusTestBeforeEachCallback {

    private static final String SCHEMAS = "#/components/schemas/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode contract;
    private static List<Route> routes;

    private record Route(Pattern path, int literalLength, JsonNode item) {
    }

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        if (RestAssured.filters().stream().noneMatch(ContractConformance.class::isInstance)) {
            RestAssured.filters(new ContractConformance());
        }
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec, FilterContext context) {
        Response response = context.next(request, responseSpec);
        String contentType = response.contentType() == null ? "" : response.contentType();
        String path = URI.create(request.getURI()).getPath();
        if (response.statusCode() / 100 != 2 || !contentType.startsWith("application/json") || !path.startsWith("/api/v1/")) {
            return response;
        }
        List<String> errors = violations(request.getMethod(), path, response.statusCode(), response.asByteArray());
        if (!errors.isEmpty()) {
            throw new AssertionError(request.getMethod() + " " + path + " answered outside the contract:\n" + String.join("\n", errors)
                    + "\nbody: " + response.asString());
        }
        return response;
    }

    /** What is wrong with a successful JSON answer to the operation at this path; nothing for paths the contract lacks. */
    public static List<String> violations(String method, String path, int status, byte[] body) {
        List<String> errors = new ArrayList<>();
        JsonNode operation = operation(method.toLowerCase(), path);
        if (operation == null) {
            return errors;
        }
        JsonNode declared = operation.path("responses").path(Integer.toString(status));
        if (declared.isMissingNode()) {
            errors.add("status " + status + " is not declared");
            return errors;
        }
        try {
            check(JSON.readTree(body), declared.path("content").path("application/json").path("schema"), "$", errors);
        } catch (IOException e) {
            errors.add("the body is not JSON: " + e.getMessage());
        }
        return errors;
    }

    private static void check(JsonNode value, JsonNode schema, String where, List<String> errors) {
        if (schema.has("$ref")) {
            check(value, contract().path("components").path("schemas").path(schema.path("$ref").asText().substring(SCHEMAS.length())), where,
                    errors);
            return;
        }
        if (value.isNull()) {
            errors.add(where + " is null: the API leaves out fields without a value");
            return;
        }
        if (schema.has("enum") && value.isValueNode()) {
            boolean listed = false;
            for (JsonNode allowed : schema.path("enum")) {
                listed |= allowed.asText().equals(value.asText());
            }
            if (!listed) {
                errors.add(where + " = " + value + " is not one of " + schema.path("enum"));
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(value.get(i), schema.path("items"), where + "[" + i + "]", errors);
            }
        }
        JsonNode properties = schema.path("properties");
        if (value.isObject() && properties.isObject()) {
            schema.path("required").forEach(name -> {
                if (!value.has(name.asText())) {
                    errors.add(where + "." + name.asText() + " is required but absent");
                }
            });
            value.fields().forEachRemaining(field -> {
                if (properties.has(field.getKey())) {
                    check(field.getValue(), properties.path(field.getKey()), where + "." + field.getKey(), errors);
                } else {
                    errors.add(where + "." + field.getKey() + " is not in the contract");
                }
            });
        }
    }

    /** The operation whose path template matches; the most literal template wins (/members/me before /members/{code}). */
    private static JsonNode operation(String method, String path) {
        Route best = null;
        for (Route route : routes()) {
            if (route.path().matcher(path).matches() && route.item().has(method) && (best == null || route.literalLength() > best.literalLength())) {
                best = route;
            }
        }
        return best == null ? null : best.item().path(method);
    }

    private static synchronized List<Route> routes() {
        if (routes == null) {
            List<Route> all = new ArrayList<>();
            for (var entry = contract().path("paths").fields(); entry.hasNext();) {
                Map.Entry<String, JsonNode> path = entry.next();
                String template = path.getKey();
                String regex = Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
                all.add(new Route(Pattern.compile(regex), template.replaceAll("\\{[^}]+}", "").length(), path.getValue()));
            }
            routes = all;
        }
        return routes;
    }

    private static synchronized JsonNode contract() {
        if (contract == null) {
            try {
                contract = new YAMLMapper().readTree(java.nio.file.Path.of("openapi/openapi.yaml").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return contract;
    }
}
