package io.downline.common.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.downline.common.problem.ProblemException;

class PageRequestTest {

    @Test
    void theExtraRowTellsThatAPageFollows() {
        PageRequest request = new PageRequest(2, null);
        Page<String> page = request.page(List.of("a", "b", "c"), item -> List.of(item));
        assertEquals(List.of("a", "b"), page.items());
        assertEquals(List.of("b"), new PageRequest(2, page.next()).after());

        Page<String> last = request.page(List.of("d", "e"), item -> List.of(item));
        assertNull(last.next());
    }

    @Test
    void cursorsRoundTripAnySortKey() {
        List<String> key = List.of("2026-11-21T09:30:00Z", "ünïcødé/+=", "");
        assertEquals(key, new PageRequest(10, PageRequest.encode(key)).after());
    }

    @Test
    void foreignCursorsAreRejected() {
        for (String cursor : List.of("%%%", "bm90IGpzb24", "W10", "eyJhIjoxfQ")) {
            assertThrows(ProblemException.class, () -> new PageRequest(10, cursor).after(), cursor);
        }
    }
}
