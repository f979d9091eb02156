package io.downline.common.openapi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Keeps Java type names out of the contract: scalar types (Instant, LocalDate, UUID) are written inline where they are
 * used, and the generic {@code Page<FooView>} becomes {@code FooPage}, named after its items.
 */
final class SchemaNames {

    private static final Set<String> SCALARS = Set.of("Instant", "LocalDate", "OffsetDateTime", "UUID", "BigDecimal", "URI");
    private static final Pattern PAGE = Pattern.compile("Page\\w+");

    private SchemaNames() {
    }

    static void apply(OpenAPI openAPI) {
        Map<String, Schema> components = Schemas.components(openAPI);
        if (components == null) {
            return;
        }
        Map<String, Schema> scalars = new LinkedHashMap<>();
        SCALARS.stream().filter(components::containsKey).forEach(name -> scalars.put(name, components.get(name)));
        Map<String, String> renamed = new LinkedHashMap<>();
        components.forEach((name, schema) -> {
            Schema items = schema.getProperties() == null ? null : schema.getProperties().get("items");
            if (PAGE.matcher(name).matches() && items != null && items.getItems() != null && items.getItems().getRef() != null) {
                renamed.put(name, items.getItems().getRef().substring(Schemas.PREFIX.length()) + "Page");
            }
        });
        Schemas.forEach(openAPI, schema -> {
            String ref = schema.getRef();
            if (ref == null || !ref.startsWith(Schemas.PREFIX)) {
                return;
            }
            String target = ref.substring(Schemas.PREFIX.length());
            if (scalars.containsKey(target)) {
                inline(schema, scalars.get(target));
            } else if (renamed.containsKey(target)) {
                schema.setRef(renamed.get(target));
            }
        });
        scalars.keySet().forEach(openAPI.getComponents()::removeSchema);
        renamed.forEach((from, to) -> {
            Schema page = components.get(from);
            openAPI.getComponents().removeSchema(from);
            openAPI.getComponents().addSchema(to, page);
        });
    }

    private static void inline(Schema use, Schema scalar) {
        use.setRef(null);
        use.setType(scalar.getType());
        use.setFormat(scalar.getFormat());
        if (use.getPattern() == null) {
            use.setPattern(scalar.getPattern());
        }
    }
}
