package org.paxosdns.zonestore.zone;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.paxosdns.zonestore.blob.ContentHash;

final class ParsedZoneCacheTest {
    private final ParsedZoneCache cache = new ParsedZoneCache(new ZoneValidator(ZoneLimits.DEFAULT), 1_000);

    @Test
    void aSecondParseOfTheSameVersionIsTheCachedResult() {
        byte[] zone = ZoneValidatorTest.HEAD.getBytes(UTF_8);
        ContentHash hash = ContentHash.of(zone);
        assertTrue(cache.cached("example.com.", hash).isEmpty());

        ZoneCheck first = cache.parse("example.com.", hash, zone);
        assertSame(first, cache.parse("example.com.", hash, zone));
        assertEquals(2024010101L, cache.cached("example.com.", hash).orElseThrow().soaSerial());
    }

    @Test
    void theSameBytesUnderAnotherOriginAreAnotherZone() {
        byte[] zone = ZoneValidatorTest.HEAD.getBytes(UTF_8);
        ContentHash hash = ContentHash.of(zone);
        cache.parse("example.com.", hash, zone);
        ParsedZone other = ((ZoneCheck.Valid) cache.parse("example.org.", hash, zone)).zone();
        assertEquals("example.org.", other.fqdn());
        assertFalse(cache.cached("example.net.", hash).isPresent());
    }

    @Test
    void contentThatIsNotTheHashedBlobIsRefused() {
        byte[] zone = ZoneValidatorTest.HEAD.getBytes(UTF_8);
        ContentHash wrong = ContentHash.of("other".getBytes(UTF_8));
        assertThrows(IllegalArgumentException.class, () -> cache.parse("example.com.", wrong, zone));
        assertTrue(cache.cached("example.com.", wrong).isEmpty());
    }
}
