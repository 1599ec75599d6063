package org.paxosdns.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The answer cache: case-insensitive names, entries remember their zone version, bounded by its slots. */
class AnswerCacheTest {
    private static final ZoneContent v1 = TestZones.resource("second.example.", "/conformance/second.example.zone");
    private static final ZoneContent v2 = TestZones.resource("second.example.", "/conformance/second.example.zone");

    private static byte[] wire(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    /** The cached response bytes as stored (unpatched). */
    private static byte[] response(AnswerCache.Entry entry) {
        return Arrays.copyOfRange(entry.nameAndResponse(), entry.nameBytes(), entry.nameAndResponse().length);
    }

    @Test
    void matchesNamesWhateverTheirCaseButNotOtherTypesOrVariants() {
        AnswerCache cache = new AnswerCache(16);
        byte[] lower = wire("host");
        byte[] upper = wire("HoSt");
        byte[] answer = {1, 2, 3};
        int hash = AnswerCache.hash(lower, 0, 4, 1, 0);
        assertEquals(hash, AnswerCache.hash(upper, 0, 4, 1, 0));
        cache.put(hash, v1, 7, lower, 0, 4, 1, 0, answer);
        AnswerCache.Entry entry = cache.get(hash, upper, 0, 4, 1, 0);
        assertArrayEquals(answer, response(entry));
        assertSame(v1, entry.zone());
        assertEquals(7, entry.generation());
        assertNull(cache.get(hash, lower, 0, 4, 28, 0));
        assertNull(cache.get(hash, lower, 0, 4, 1, 2));
        assertNull(cache.get(hash, wire("hosx"), 0, 4, 1, 0));
        cache.put(hash, v2, 8, lower, 0, 4, 1, 0, answer);
        assertSame(v2, cache.get(hash, lower, 0, 4, 1, 0).zone());
    }

    @Test
    void holdsAtMostItsSlots() {
        AnswerCache cache = new AnswerCache(8);
        String[] names = {"aaaa", "bbbb", "cccc", "dddd", "eeee", "ffff", "gggg", "hhhh", "iiii", "jjjj"};
        for (int i = 0; i < names.length; i++) {
            cache.put(i, v1, 0, wire(names[i]), 0, 4, 1, 0, new byte[] {(byte) i});
        }
        long present = IntStream.range(0, names.length).filter(i -> cache.get(i, wire(names[i]), 0, 4, 1, 0) != null).count();
        assertEquals(8, present);
        assertArrayEquals(new byte[] {9}, response(cache.get(9, wire("jjjj"), 0, 4, 1, 0)));
    }

    @Test
    void eightKeysOfOneSetAreAllKept() {
        AnswerCache cache = new AnswerCache(1 << 10);
        String[] names = {"aaaa", "bbbb", "cccc", "dddd", "eeee", "ffff", "gggg", "hhhh"};
        for (int i = 0; i < names.length; i++) {
            cache.put(i << 16, v1, 0, wire(names[i]), 0, 4, 1, 0, new byte[] {(byte) i}); // one set: low bits equal
        }
        for (int i = 0; i < names.length; i++) {
            assertArrayEquals(new byte[] {(byte) i}, response(cache.get(i << 16, wire(names[i]), 0, 4, 1, 0)));
        }
        assertNull(cache.get(8 << 16, wire("iiii"), 0, 4, 1, 0), "a ninth key of the set was never put");
    }

    @Test
    void anEqualHashIsNotEnoughForAHit() {
        AnswerCache cache = new AnswerCache(16);
        cache.put(5, v1, 0, wire("aaaa"), 0, 4, 1, 0, new byte[] {1});
        assertNull(cache.get(5, wire("bbbb"), 0, 4, 1, 0));
        assertNull(cache.get(5, wire("aaaa"), 0, 4, 16, 0));
        cache.put(5, v1, 0, wire("bbbb"), 0, 4, 1, 0, new byte[] {2});
        assertArrayEquals(new byte[] {1}, response(cache.get(5, wire("aaaa"), 0, 4, 1, 0)));
        assertArrayEquals(new byte[] {2}, response(cache.get(5, wire("bbbb"), 0, 4, 1, 0)));
    }

    @Test
    void foldsEveryByteValueAtEveryPositionLikeAsciiLowerCase() {
        for (int b = 0; b < 256; b++) {
            int folded = b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
            for (int pos = 0; pos < Long.BYTES; pos++) {
                long filler = 0x5A41_7A61_405B_60FFL; // Z A z a @ [ ` and 0xFF around the byte under test
                long in = (filler & ~(0xFFL << (8 * pos))) | ((long) b << (8 * pos));
                long out = AnswerCache.lower8(in);
                assertEquals(folded, (int) (out >>> (8 * pos)) & 0xFF, "byte " + b + " at " + pos);
            }
        }
    }

    @Test
    void hashIgnoresCaseForNamesOfEveryLength() {
        String name = "\u0003ABCdefGHIjklMNOpqrSTUvwxYZ";
        for (int len = 1; len < name.length(); len++) {
            byte[] mixed = wire(name.substring(0, len));
            byte[] lower = wire(name.substring(0, len).toLowerCase(java.util.Locale.ROOT));
            assertEquals(AnswerCache.hash(lower, 0, len, 1, 0), AnswerCache.hash(mixed, 0, len, 1, 0), "length " + len);
        }
    }
}
