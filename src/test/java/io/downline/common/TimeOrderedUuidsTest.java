package io.downline.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class TimeOrderedUuidsTest {

    /** PostgreSQL compares uuid as 16 unsigned bytes; Java's UUID.compareTo compares signed halves. */
    private static int compareAsPostgres(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    @Test
    void aBatchIsVersion7StrictlyIncreasingAndStampedWithTheTimeEvenPastTheCounter() {
        long before = System.currentTimeMillis();
        // more than one millisecond's 4,096 counter values, so the timestamp has to move on
        UUID[] ids = TimeOrderedUuids.batch(10_000);
        long after = System.currentTimeMillis();
        Set<UUID> distinct = new HashSet<>();
        for (int i = 0; i < ids.length; i++) {
            assertEquals(7, ids[i].version());
            assertEquals(2, ids[i].variant());
            assertTrue(distinct.add(ids[i]));
            if (i > 0) {
                assertTrue(compareAsPostgres(ids[i - 1], ids[i]) < 0, "id " + i + " is not greater than the one before");
            }
        }
        long first = ids[0].getMostSignificantBits() >>> 16;
        long last = ids[ids.length - 1].getMostSignificantBits() >>> 16;
        assertTrue(first >= before && first <= after, "the first id carries the time it was made");
        assertEquals(2, last - first, "the counter ran out twice in 10,000 ids, and each time the timestamp moved on by 1 ms");
    }

    @Test
    void twoBatchesMadeInTheSameMillisecondDifferInTheirRandomBits() {
        UUID[] a = TimeOrderedUuids.batch(1);
        UUID[] b = TimeOrderedUuids.batch(1);
        long randomA = a[0].getLeastSignificantBits() & 0x3fff_ffff_ffff_ffffL;
        long randomB = b[0].getLeastSignificantBits() & 0x3fff_ffff_ffff_ffffL;
        assertNotEquals(randomA, randomB);
    }
}
