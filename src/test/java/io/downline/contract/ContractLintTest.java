package io.downline.contract;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.JsonNode;

import io.downline.common.problem.ProblemType;

/**
 * House rules for the committed contract, the things generated clients depend on beyond "it parses": every rule names
 * each place that breaks it. Reads openapi/openapi.yaml only, so it runs without starting the service.
 */
class ContractLintTest {

    /** Names of Java types that leak into a contract when a class is not given a schema name of its own. */
    private static final Pattern JAVA_TYPE_NAME = Pattern.compile(
            "(Instant|LocalDate|LocalDateTime|OffsetDateTime|UUID|BigDecimal|BigInteger|Object|String|Map|List|Set|Optional"
                    + "|Page[A-Z]\\w*|\\w+(View|Dto|DTO|Entity|Record|Impl))");
    /** Property names that by their meaning take one of a few values. */
    private static final Pattern CLOSED_SET_NAME = Pattern.compile(".*(status|Status|rank|Rank|type|Type|format|kind|Kind|side|Side|direction|structure|tree)");
    /** Properties whose name looks like a closed set but that are open on purpose, with the reason. */
    private static final Map<String, String> OPEN_SETS = Map.of(
            "Problem.type", "a URI; new problem types may appear, clients must accept unknown ones",
            "CommissionEstimate.paidAsRank", "a code of the plan version's own rank table; each company's plan defines its ranks",

            "Member.rank", "a rank name of the compensation plan: data, changed by plan versions",
            "MyMembership.rank", "a rank name of the compensation plan: data, changed by plan versions",
            "TreeNode.rank", "a rank name of the compensation plan: data, changed by plan versions",
            "CommissionDeadLetter.type", "the type of the outbox event set aside; modules add event types");
    private static final Pattern RATE_OR_VOLUME_NAME = Pattern.compile("(rate|.*Rate|.*RatePercent|ratePercent|pv|bv|groupPv|groupBv)");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    /** Request bodies whose fields are all optional by design (partial updates). */
    private static final Set<String> ALL_OPTIONAL = Set.of("ProductChange", "LedgerSettingsUpdate", "WithdrawalDecision", "KycApproval");

    private static JsonNode contract;
    private static JsonNode schemas;

    @BeforeAll
    static void read() throws IOException {
        contract = ContractTest.committed();
        schemas = contract.path("components").path("schemas");
    }

    @Test
    void declaresServers() {
        JsonNode servers = contract.path("servers");
        assertTrue(servers.isArray() && !servers.isEmpty(), "the contract has no servers block");
        servers.forEach(server -> assertTrue(server.path("url").asText("").matches("https?://.+|\\{.+"), "server url " + server));
    }

    @Test
    void schemaNamesAreApiNames() {
        List<String> bad = new ArrayList<>();
        schemas.fieldNames().forEachRemaining(name -> {
            if (JAVA_TYPE_NAME.matcher(name).matches()) {
                bad.add(name + " (named after a Java type)");
            }
            if (Character.isDigit(name.charAt(name.length() - 1))) {
                bad.add(name + " (ends in a digit: two classes share a name)");
            }
        });
        assertTrue(bad.isEmpty(), "schema names: " + bad);
    }

    @Test
    void objectSchemasSayWhichFieldsAreRequired() {
        List<String> bad = new ArrayList<>();
        schemas.fields().forEachRemaining(schema -> {
            JsonNode value = schema.getValue();
            boolean object = "object".equals(value.path("type").asText()) || value.has("properties");
            if (object && !ALL_OPTIONAL.contains(schema.getKey()) && (!value.path("required").isArray() || value.path("required").isEmpty())) {
                bad.add(schema.getKey());
            }
            value.path("required").forEach(name -> {
                if (!value.path("properties").has(name.asText())) {
                    bad.add(schema.getKey() + " requires unknown property " + name.asText());
                }
            });
        });
        assertTrue(bad.isEmpty(), "object schemas without required fields: " + bad);
    }

    @Test
    void closedSetsAreEnums() {
        List<String> bad = new ArrayList<>();
        eachProperty((name, property) -> {
            String field = name.substring(name.indexOf('.') + 1);
            if (CLOSED_SET_NAME.matcher(field).matches() && !OPEN_SETS.containsKey(name) && "string".equals(property.path("type").asText())
                    && !property.has("enum") && !isEnumRef(property)) {
                bad.add(name);
            }
        });
        assertTrue(bad.isEmpty(), "string properties that take a fixed set of values but declare no enum: " + bad);
    }

    @Test
    void everyProblemTypeTheServerSendsIsListed() {
        Set<String> listed = new java.util.HashSet<>();
        contract.path("components").path("responses").forEach(response -> response.path("content").path("application/problem+json")
                .path("examples").forEach(example -> listed.add(example.path("value").path("type").asText())));
        List<String> missing = new ArrayList<>();
        for (ProblemType type : ProblemType.values()) {
            if (!listed.contains(type.uri())) {
                missing.add(type.uri());
            }
        }
        assertTrue(missing.isEmpty(), "problem types without an example in components.responses: " + missing);
        String description = schemas.path("Problem").path("properties").path("type").path("description").asText();
        for (ProblemType type : ProblemType.values()) {
            assertTrue(description.contains(type.uri()), "Problem.type does not list " + type.uri());
        }
    }

    @Test
    void everySuccessResponseHasAnExample() {
        List<String> bad = new ArrayList<>();
        eachOperation((name, operation) -> operation.path("responses").fields().forEachRemaining(response -> {
            if (!response.getKey().startsWith("2")) {
                return;
            }
            response.getValue().path("content").fields().forEachRemaining(media -> {
                JsonNode schema = media.getValue().path("schema");
                boolean example = media.getValue().has("example") || media.getValue().has("examples") || schema.has("examples")
                        || schema.has("example") || "binary".equals(schema.path("format").asText());
                if (!example) {
                    bad.add(name + " " + response.getKey() + " " + media.getKey());
                }
            });
        }));
        assertTrue(bad.isEmpty(), "success responses without an example: " + bad);
    }

    @Test
    void timestampsAreIso8601WithT() {
        List<String> bad = new ArrayList<>();
        eachProperty((name, property) -> {
            String format = property.path("format").asText();
            String field = name.substring(name.indexOf('.') + 1);
            if (field.endsWith("At") && !"date-time".equals(format)) {
                bad.add(name + " is a point in time without format date-time");
            }
            for (JsonNode example : examples(property)) {
                if ("date-time".equals(format) && !TIMESTAMP.matcher(example.asText()).matches()) {
                    bad.add(name + " example " + example.asText() + " is not yyyy-mm-ddThh:mm:ssZ");
                }
                if ("date".equals(format) && !DATE.matcher(example.asText()).matches()) {
                    bad.add(name + " example " + example.asText() + " is not yyyy-mm-dd");
                }
            }
        });
        assertTrue(bad.isEmpty(), "timestamps: " + bad);
    }

    /**
     * YAML 1.1 readers (PyYAML, js-yaml, SnakeYAML) resolve plain scalars by their look: an unquoted 2026-11-21T09:30:00Z
     * becomes a date object (which tools print their own way, "2026-11-21 09:30:00"), 682016 a number, 9.9E9 a string.
     * Every value of the committed file must read back with the type the generated document gives it.
     */
    @Test
    void yaml11ReadersSeeTheSameValues() throws IOException {
        Object loaded;
        try (Reader reader = Files.newBufferedReader(ContractTest.COMMITTED)) {
            loaded = new Yaml().load(reader);
        }
        List<String> bad = new ArrayList<>();
        compare(contract, loaded, "", bad);
        assertTrue(bad.isEmpty(), "values a YAML 1.1 reader sees differently (quote them): " + bad);
    }

    @Test
    void everyListIsACursorPage() {
        List<String> bad = new ArrayList<>();
        eachOperation((name, operation) -> operation.path("responses").fields().forEachRemaining(response -> {
            JsonNode schema = response.getValue().path("content").path("application/json").path("schema");
            if (response.getKey().startsWith("2") && "array".equals(resolve(schema).path("type").asText())) {
                bad.add(name + " answers a bare array");
            }
        }));
        schemas.fields().forEachRemaining(schema -> {
            JsonNode properties = schema.getValue().path("properties");
            boolean page = properties.has("items") && properties.has("next");
            if (schema.getKey().endsWith("Page") != page) {
                bad.add(schema.getKey() + ": pages, and only pages, are named ...Page");
            }
            if (page) {
                if (properties.size() != 2 || !"array".equals(properties.path("items").path("type").asText())) {
                    bad.add(schema.getKey() + " is not exactly {items: [...], next}");
                }
                JsonNode required = schema.getValue().path("required");
                if (required.size() != 1 || !"items".equals(required.path(0).asText())) {
                    bad.add(schema.getKey() + " must require items and only items");
                }
                if (!properties.path("next").path("description").asText().contains("absent")) {
                    bad.add(schema.getKey() + ".next does not say it is absent on the last page");
                }
            }
        });
        assertTrue(bad.isEmpty(), "lists: " + bad);
    }

    @Test
    void ratesAndVolumesAreDecimalNumbers() {
        List<String> bad = new ArrayList<>();
        eachProperty((name, property) -> {
            String field = name.substring(name.indexOf('.') + 1);
            if (RATE_OR_VOLUME_NAME.matcher(field).matches()
                    && (!"number".equals(property.path("type").asText()) || property.has("format"))) {
                bad.add(name + " is " + property.path("type").asText() + " " + property.path("format").asText(""));
            }
        });
        assertTrue(bad.isEmpty(), "rates and volumes must be type number without a binary floating-point format: " + bad);
    }

    private static boolean isEnumRef(JsonNode property) {
        String ref = property.path("$ref").asText("");
        return ref.startsWith("#/components/schemas/") && resolve(property).has("enum");
    }

    private static JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.startsWith("#/components/schemas/") ? schemas.path(ref.substring("#/components/schemas/".length())) : schema;
    }

    private static List<JsonNode> examples(JsonNode property) {
        List<JsonNode> examples = new ArrayList<>();
        property.path("examples").forEach(examples::add);
        if (property.has("example")) {
            examples.add(property.path("example"));
        }
        return examples;
    }

    private static void eachProperty(BiConsumer<String, JsonNode> check) {
        schemas.fields().forEachRemaining(schema -> schema.getValue().path("properties").fields()
                .forEachRemaining(property -> check.accept(schema.getKey() + "." + property.getKey(), property.getValue())));
    }

    private static void eachOperation(BiConsumer<String, JsonNode> check) {
        contract.path("paths").fields().forEachRemaining(path -> path.getValue().fields()
                .forEachRemaining(method -> check.accept(method.getKey().toUpperCase() + " " + path.getKey(), method.getValue())));
    }

    private static boolean sameScalar(JsonNode expected, Object loaded) {
        if (expected.isTextual()) {
            return expected.asText().equals(loaded);
        }
        if (expected.isNumber()) {
            return loaded instanceof Number number && new BigDecimal(number.toString()).compareTo(expected.decimalValue()) == 0;
        }
        if (expected.isBoolean()) {
            return Boolean.valueOf(expected.asBoolean()).equals(loaded);
        }
        return expected.isNull() && loaded == null;
    }

    private static void compare(JsonNode expected, Object loaded, String where, List<String> bad) {
        if (bad.size() >= 20) {
            return;
        }
        if (expected.isObject() && loaded instanceof Map<?, ?> map) {
            expected.fields().forEachRemaining(field -> compare(field.getValue(), map.get(field.getKey()), where + "/" + field.getKey(), bad));
        } else if (expected.isArray() && loaded instanceof List<?> list && list.size() == expected.size()) {
            for (int i = 0; i < list.size(); i++) {
                compare(expected.get(i), list.get(i), where + "[" + i + "]", bad);
            }
        } else if (!sameScalar(expected, loaded)) {
            bad.add(where + ": " + expected + " reads as " + (loaded == null ? "null" : loaded.getClass().getSimpleName() + " " + loaded));
        }
    }
}
