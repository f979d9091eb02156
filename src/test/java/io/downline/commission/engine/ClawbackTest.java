package io.downline.commission.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ClawbackTest {

    @Test
    void threeOneThirdRefundsOfAHundredTakeBackExactlyAHundred() {
        assertEquals(-3_333, Clawback.amountMinor(10_000, 0, 100, 300));
        assertEquals(-3_333, Clawback.amountMinor(10_000, 100, 100, 300));
        assertEquals(-3_334, Clawback.amountMinor(10_000, 200, 100, 300));
    }

    @Test
    void anySplitOfRefundsAddsUpToTheLine() {
        long paid = 9_999_997;
        long total = 7_919;
        long[] parts = { 1, 3_000, 17, 4_000, 901 };
        long before = 0;
        long takenBack = 0;
        for (long part : parts) {
            takenBack += Clawback.amountMinor(paid, before, part, total);
            before += part;
        }
        assertEquals(-paid, takenBack);
        assertEquals(-paid, Clawback.amountMinor(paid, 0, total, total));
        assertEquals(0, Clawback.amountMinor(paid, 10, 0, total));
    }

    @Test
    void refundingMoreThanTheOrderIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Clawback.amountMinor(100, 200, 101, 300));
        assertThrows(IllegalArgumentException.class, () -> Clawback.amountMinor(100, 0, 1, 0));
    }
}
