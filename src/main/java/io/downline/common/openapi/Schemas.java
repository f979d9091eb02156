package io.downline.common.openapi;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/** Visits every schema of a document, wherever it sits: components, parameters, bodies, responses, nested. */
final class Schemas {

    static final String PREFIX = "#/components/schemas/";

    private Schemas() {
    }

    static void forEach(OpenAPI openAPI, Consumer<Schema> visitor) {
        Set<Schema> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        if (openAPI.getComponents().getSchemas() != null) {
            openAPI.getComponents().getSchemas().values().forEach(schema -> visit(schema, visitor, seen));
        }
        if (openAPI.getPaths() == null) {
            return;
        }
        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            parameters(path.getParameters(), visitor, seen);
            for (Operation operation : path.getOperations().values()) {
                parameters(operation.getParameters(), visitor, seen);
                if (operation.getRequestBody() != null) {
                    content(operation.getRequestBody().getContent(), visitor, seen);
                }
                if (operation.getResponses() != null && operation.getResponses().getAPIResponses() != null) {
                    operation.getResponses().getAPIResponses().values().forEach(response -> content(response.getContent(), visitor, seen));
                }
            }
        }
    }

    /** The component a schema points at, or the schema itself. */
    static Schema resolve(OpenAPI openAPI, Schema schema) {
        String ref = schema.getRef();
        if (ref != null && ref.startsWith(PREFIX)) {
            Schema target = openAPI.getComponents().getSchemas().get(ref.substring(PREFIX.length()));
            return target == null ? schema : target;
        }
        return schema;
    }

    private static void parameters(List<Parameter> parameters, Consumer<Schema> visitor, Set<Schema> seen) {
        if (parameters != null) {
            parameters.forEach(parameter -> visit(parameter.getSchema(), visitor, seen));
        }
    }

    private static void content(Content content, Consumer<Schema> visitor, Set<Schema> seen) {
        if (content != null && content.getMediaTypes() != null) {
            content.getMediaTypes().values().forEach(media -> visit(media.getSchema(), visitor, seen));
        }
    }

    private static void visit(Schema schema, Consumer<Schema> visitor, Set<Schema> seen) {
        if (schema == null || !seen.add(schema)) {
            return;
        }
        visitor.accept(schema);
        List<Schema> children = new ArrayList<>();
        if (schema.getProperties() != null) {
            children.addAll(schema.getProperties().values());
        }
        children.add(schema.getItems());
        children.add(schema.getAdditionalPropertiesSchema());
        children.add(schema.getNot());
        for (List<Schema> list : java.util.Arrays.asList(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())) {
            if (list != null) {
                children.addAll(list);
            }
        }
        children.forEach(child -> visit(child, visitor, seen));
    }

    static Map<String, Schema> components(OpenAPI openAPI) {
        return openAPI.getComponents().getSchemas();
    }
}
