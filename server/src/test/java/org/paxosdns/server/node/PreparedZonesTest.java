package org.paxosdns.server.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.paxosdns.dns.ZoneContent;
import org.paxosdns.zonestore.blob.ContentHash;
import org.paxosdns.zonestore.blob.VerifiedBlob;
import org.paxosdns.zonestore.zone.ParsedZoneCache;
import org.paxosdns.zonestore.zone.ZoneLimits;
import org.paxosdns.zonestore.zone.ZoneValidator;

/** Indexes built at admission are handed to serving once, and only for a valid zone not yet too old. */
class PreparedZonesTest {
    private static final byte[] zone = """
            $TTL 3600
            @   IN SOA ns1 hostmaster 5 7200 3600 1209600 300
            @   IN NS  ns1
            ns1 IN A   192.0.2.1
            """.getBytes(UTF_8);
    private static final byte[] noNs = "@ 3600 IN SOA ns1 hostmaster 5 7200 3600 1209600 300\n".getBytes(UTF_8);

    private final AtomicLong nowMs = new AtomicLong(1_000);
    private final PreparedZones prepared = new PreparedZones(nowMs::get);
    private final ParsedZoneCache admission = new ParsedZoneCache(new ZoneValidator(ZoneLimits.DEFAULT), 100, prepared);

    @Test
    void aValidatedZoneIsTakenOnceWithTheRecordsAdmissionSaw() {
        ContentHash hash = ContentHash.of(zone);
        admission.parse("p.test.", VerifiedBlob.of(zone));
        ZoneContent index = prepared.take("p.test.", hash).orElseThrow();
        assertEquals(3, index.recordCount());
        assertEquals(5, index.soa().getSerial());
        assertEquals(hash.toHex(), index.version());
        assertTrue(prepared.take("p.test.", hash).isEmpty(), "taken once");
    }

    @Test
    void anInvalidZoneOrAnOldIndexIsNotHandedOut() {
        admission.parse("bad.test.", VerifiedBlob.of(noNs));
        assertTrue(prepared.take("bad.test.", ContentHash.of(noNs)).isEmpty());

        ContentHash hash = ContentHash.of(zone);
        admission.parse("p.test.", VerifiedBlob.of(zone));
        nowMs.addAndGet(PreparedZones.PREPARED_MS);
        assertTrue(prepared.take("p.test.", hash).isEmpty(), "expired");
    }
}
