package io.downline.common.paging;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of a list; {@code next} is the opaque cursor of the following page, absent on the last one. */
public record Page<T>(
        @Schema(required = true) List<T> items,
        @Schema(description = "Cursor for the next page; absent on the last page", example = "WyJyYXZpIl0")
        String next) {

    /** A list that is whole by nature (the few results of one request, the returns of one order): one page, no next. */
    public static <T> Page<T> whole(List<T> items) {
        return new Page<>(items, null);
    }
}
