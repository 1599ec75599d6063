package org.paxosdns.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The answer cache: case-insensitive names, keyed by zone version, bounded by its slots. */
class AnswerCacheTest {
    private static final ZoneContent v1 = TestZones.resource("second.example.", "/conformance/second.example.zone");
    private static final ZoneContent v2 = TestZones.resource("second.example.", "/conformance/second.example.zone");

    private static byte[] wire(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void matchesNamesWhateverTheirCaseButNotOtherVersionsTypesOrVariants() {
        AnswerCache cache = new AnswerCache(16);
        byte[] lower = wire("host");
        byte[] upper = wire("HoSt");
        byte[] answer = {1, 2, 3};
        int hash = AnswerCache.hash(v1, lower, 0, 4, 1, 0);
        assertEquals(hash, AnswerCache.hash(v1, upper, 0, 4, 1, 0));
        cache.put(hash, v1, lower, 0, 4, 1, 0, answer);
        assertArrayEquals(answer, cache.get(hash, v1, upper, 0, 4, 1, 0));
        assertNull(cache.get(hash, v2, lower, 0, 4, 1, 0));
        assertNull(cache.get(hash, v1, lower, 0, 4, 28, 0));
        assertNull(cache.get(hash, v1, lower, 0, 4, 1, 2));
        assertNull(cache.get(hash, v1, wire("hosx"), 0, 4, 1, 0));
    }

    @Test
    void holdsAtMostItsSlots() {
        AnswerCache cache = new AnswerCache(2);
        String[] names = {"aaaa", "bbbb", "cccc"};
        for (int i = 0; i < names.length; i++) {
            cache.put(i, v1, wire(names[i]), 0, 4, 1, 0, new byte[] {(byte) i});
        }
        long present = Stream.of(0, 1, 2).filter(i -> cache.get(i, v1, wire(names[i]), 0, 4, 1, 0) != null).count();
        assertEquals(2, present);
        assertArrayEquals(new byte[] {2}, cache.get(2, v1, wire("cccc"), 0, 4, 1, 0));
    }
}
