package io.downline.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RandomCodesTest {

    @Test
    void typeableCodesUseEveryCharacterOfCrockfordsAlphabetEvenlyAndNothingElse() {
        Map<Character, Integer> counts = new HashMap<>();
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String code = RandomCodes.typeable(10);
            assertEquals(10, code.length());
            assertTrue(codes.add(code), "a 50-bit code came twice in 10,000");
            for (char c : code.toCharArray()) {
                counts.merge(c, 1, Integer::sum);
            }
        }
        assertEquals(32, counts.size(), "characters seen: " + counts.keySet());
        for (Map.Entry<Character, Integer> count : counts.entrySet()) {
            assertTrue("0123456789ABCDEFGHJKMNPQRSTVWXYZ".indexOf(count.getKey()) >= 0, "not in the alphabet: " + count.getKey());
            // 100,000 characters: 3,125 expected each; 2,700 and 3,550 are more than 7 standard deviations away
            assertTrue(count.getValue() > 2_700 && count.getValue() < 3_550, count.getKey() + " came " + count.getValue() + " times");
        }
    }
}
