package io.downline.common.openapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Gives every JSON success response without a hand-written example one composed from the examples of its schema's
 * properties (which ContractTest requires), so that each response in the documentation and in generated clients shows
 * a whole body.
 */
final class ResponseExamples {

    /** Deep enough for every body here; guards against a schema that contains itself. */
    private static final int MAX_DEPTH = 8;

    private ResponseExamples() {
    }

    static void apply(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : path.getOperations().values()) {
                for (Map.Entry<String, APIResponse> response : operation.getResponses().getAPIResponses().entrySet()) {
                    if (response.getKey().startsWith("2") && response.getValue().getContent() != null) {
                        MediaType json = response.getValue().getContent().getMediaType("application/json");
                        if (json != null && json.getExample() == null && (json.getExamples() == null || json.getExamples().isEmpty())
                                && json.getSchema() != null) {
                            json.setExample(example(openAPI, json.getSchema(), 0));
                        }
                    }
                }
            }
        }
    }

    private static Object example(OpenAPI openAPI, Schema use, int depth) {
        if (use.getExamples() != null && !use.getExamples().isEmpty()) {
            return use.getExamples().get(0);
        }
        if (use.getExample() != null) {
            return use.getExample();
        }
        Schema schema = Schemas.resolve(openAPI, use);
        if (schema != use) {
            return example(openAPI, schema, depth);
        }
        if (schema.getEnumeration() != null && !schema.getEnumeration().isEmpty()) {
            return schema.getEnumeration().get(0);
        }
        if (depth >= MAX_DEPTH) {
            return null;
        }
        if (schema.getItems() != null) {
            Object item = example(openAPI, schema.getItems(), depth + 1);
            return item == null ? List.of() : List.of(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, property) -> {
                Object value = example(openAPI, property, depth + 1);
                if (value != null) {
                    body.put(name, value);
                }
            });
        }
        return body.isEmpty() ? null : body;
    }
}
