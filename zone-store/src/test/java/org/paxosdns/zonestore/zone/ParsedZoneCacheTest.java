package org.paxosdns.zonestore.zone;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.paxosdns.zonestore.blob.ContentHash;
import org.paxosdns.zonestore.blob.VerifiedBlob;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

final class ParsedZoneCacheTest {
    private final ParsedZoneCache cache = new ParsedZoneCache(new ZoneValidator(ZoneLimits.DEFAULT), 1_000);

    @Test
    void aSecondParseOfTheSameVersionIsTheCachedResult() {
        byte[] zone = ZoneValidatorTest.HEAD.getBytes(UTF_8);
        ContentHash hash = ContentHash.of(zone);
        assertTrue(cache.cached("example.com.", hash).isEmpty());

        ZoneCheck first = cache.parse("example.com.", VerifiedBlob.of(zone));
        assertSame(first, cache.parse("example.com.", VerifiedBlob.of(zone)));
        assertEquals(2024010101L, cache.cached("example.com.", hash).orElseThrow().soaSerial());
    }

    @Test
    void theSameBytesUnderAnotherOriginAreAnotherZone() {
        byte[] zone = ZoneValidatorTest.HEAD.getBytes(UTF_8);
        ContentHash hash = ContentHash.of(zone);
        cache.parse("example.com.", VerifiedBlob.of(zone));
        ParsedZone other = ((ZoneCheck.Valid) cache.parse("example.org.", VerifiedBlob.of(zone))).zone();
        assertEquals("example.org.", other.fqdn());
        assertFalse(cache.cached("example.net.", hash).isPresent());
    }

    @Test
    void aMissStreamsTheRecordsIntoTheIndexingAndSaysWhetherTheZonePassed() {
        List<String> events = new ArrayList<>();
        ZoneIndexing indexing = (fqdn, hash) -> new ZoneIndexing.Session() {
            @Override
            public void accept(Record record) {
                events.add(Type.string(record.getType()));
            }

            @Override
            public void finish(boolean valid) {
                events.add(fqdn + " valid=" + valid);
            }
        };
        ParsedZoneCache indexed = new ParsedZoneCache(new ZoneValidator(ZoneLimits.DEFAULT), 10, indexing);
        byte[] zone = ZoneValidatorTest.HEAD.getBytes(UTF_8);
        indexed.parse("example.com.", VerifiedBlob.of(zone));
        indexed.parse("example.com.", VerifiedBlob.of(zone)); // a hit: no second indexing
        assertEquals("example.com. valid=true", events.get(events.size() - 1));
        assertEquals(1, events.stream().filter(e -> e.contains("valid=")).count());
        assertTrue(events.contains("SOA") && events.contains("NS"), events.toString());

        byte[] noNs = "$ORIGIN example.net.\n@ 3600 IN SOA ns hostmaster 1 7200 3600 1209600 300\n".getBytes(UTF_8);
        indexed.parse("example.net.", VerifiedBlob.of(noNs));
        assertEquals("example.net. valid=false", events.get(events.size() - 1));
    }

    @Test
    void aValidZoneTheIndexingRefusesIsInvalidWithTheIndexingsReason() {
        ZoneIndexing refusing = (fqdn, hash) -> new ZoneIndexing.Session() {
            @Override
            public void accept(Record record) {
                // built nothing yet
            }

            @Override
            public void finish(boolean valid) {
                throw new IllegalArgumentException("too deep to index");
            }
        };
        ParsedZoneCache indexed = new ParsedZoneCache(new ZoneValidator(ZoneLimits.DEFAULT), 10, refusing);
        byte[] zone = ZoneValidatorTest.HEAD.getBytes(UTF_8);
        ZoneCheck check = indexed.parse("example.com.", VerifiedBlob.of(zone));
        ZoneProblem problem = assertInstanceOf(ZoneCheck.Invalid.class, check).problem();
        assertEquals(ZoneProblem.Kind.UNSERVABLE, problem.kind());
        assertTrue(problem.message().contains("too deep to index"), problem.message());
        assertTrue(indexed.cached("example.com.", ContentHash.of(zone)).isEmpty());
    }
}
