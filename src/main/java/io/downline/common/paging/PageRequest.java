package io.downline.common.paging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;

/**
 * Keyset pagination parameters. A cursor is the base64url JSON array of the sort key of the last item served, so a page
 * costs one index range scan however deep the client has paged.
 */
public class PageRequest {

    public static final int MAX_LIMIT = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    @QueryParam("limit")
    @DefaultValue("50")
    @Min(1)
    @Max(MAX_LIMIT)
    @Parameter(description = "Page size, 1 to 200", example = "50")
    public int limit;

    @QueryParam("cursor")
    @Parameter(description = "The `next` value of the previous page")
    public String cursor;

    public PageRequest() {
    }

    public PageRequest(int limit, String cursor) {
        this.limit = limit;
        this.cursor = cursor;
    }

    /** The sort key of the cursor, or null on the first page. */
    public List<String> after() {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String[] key = JSON.readValue(Base64.getUrlDecoder().decode(cursor), String[].class);
            if (key.length == 0) {
                throw new IllegalArgumentException("empty key");
            }
            return List.of(key);
        } catch (IllegalArgumentException | java.io.IOException | NullPointerException e) {
            throw invalidCursor();
        }
    }

    /** The cursor's first key as a number (an id or a sequence), or null on the first page. */
    public Long afterNumber() {
        List<String> after = after();
        return after == null ? null : number(after.get(0));
    }

    /** A key of a cursor that must be a number. */
    public static long number(String key) {
        try {
            return Long.parseLong(key);
        } catch (NumberFormatException e) {
            throw invalidCursor();
        }
    }

    public static ProblemException invalidCursor() {
        return new ProblemException(ProblemType.INVALID_CURSOR, "The cursor is not one this API issued; start again without it.");
    }

    /** Builds the page from up to limit + 1 fetched rows: the extra row only tells that there is a next page. */
    public <T> Page<T> page(List<T> fetched, Function<T, List<String>> sortKey) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> items = new ArrayList<>(fetched.subList(0, limit));
        return new Page<>(items, encode(sortKey.apply(items.get(limit - 1))));
    }

    static String encode(List<String> key) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsString(key).getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A list of strings always serializes", e);
        }
    }
}
