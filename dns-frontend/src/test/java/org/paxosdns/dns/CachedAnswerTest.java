package org.paxosdns.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The zero-copy path of a UDP cache hit: {@link QueryProcessor#cached} reads only the first
 * {@code length} bytes of a reused buffer, and {@link CachedAnswer#writeTo} writes exactly what
 * {@link QueryProcessor#process} would have answered, wherever the target buffer starts.
 */
class CachedAnswerTest {
    /** Like the UDP handler's reused query buffer: longer than any query, stale bytes after it. */
    private static final int bufferBytes = 4096;

    private final ZoneTable zones = TestZones.conformanceZones();
    private final QueryProcessor cached = new QueryProcessor(new Responder(ResponderConfig.defaults(), () -> 0), zones, 1000);
    private final QueryProcessor uncached = new QueryProcessor(new Responder(ResponderConfig.defaults(), () -> 0), zones, 0);

    /** {@code query} at the start of a buffer whose remaining bytes are junk (0x5A). */
    private static byte[] inBuffer(byte[] query) {
        byte[] buffer = new byte[bufferBytes];
        Arrays.fill(buffer, (byte) 0x5A);
        System.arraycopy(query, 0, buffer, 0, query.length);
        return buffer;
    }

    /** What {@code hit} writes for {@code query} into a direct buffer at offset 100. */
    private static byte[] written(CachedAnswer hit, byte[] query) {
        ByteBuffer out = ByteBuffer.allocateDirect(100 + hit.length() + 50);
        out.position(100);
        hit.writeTo(out, query);
        assertEquals(100 + hit.length(), out.position(), "the position advances by the answer's length");
        byte[] bytes = new byte[hit.length()];
        out.get(100, bytes);
        return bytes;
    }

    private static byte[] wire(String name, int type, Integer edns, boolean dnssecOk, int id, boolean rd, boolean cd) {
        Message q = DnsClient.query(name, type, DClass.IN, edns, dnssecOk);
        q.getHeader().setID(id);
        if (rd) {
            q.getHeader().setFlag(Flags.RD);
        }
        if (cd) {
            q.getHeader().setFlag(Flags.CD);
        }
        return q.toWire();
    }

    @Test
    void aHitWrittenAnywhereIsTheFreshAnswerWithIdFlagsAndCaseOfTheQuery() {
        cached.process(wire("www.conf.example.", Type.MX, 1232, false, 1, false, false), false);
        byte[] query = wire("WwW.CONF.example.", Type.MX, 1232, false, 4242, true, true);
        CachedAnswer hit = cached.cached(inBuffer(query), query.length, false);
        assertNotNull(hit);
        byte[] answer = written(hit, query);
        assertArrayEquals(uncached.process(query, false), answer);
        assertEquals(4242, parse(answer).getHeader().getID());
        assertEquals("WwW.CONF.example.", parse(answer).getQuestion().getName().toString());
        byte[] plainFlags = wire("www.conf.example.", Type.MX, 1232, false, 4242, false, false);
        byte[] again = written(cached.cached(inBuffer(plainFlags), plainFlags.length, false), plainFlags);
        assertArrayEquals(uncached.process(plainFlags, false), again, "RD and CD cleared again for a query without them");
    }

    @Test
    void onlyCurrentAnswersToCachedSimpleQueriesHit() throws Exception {
        byte[] query = wire("host.second.example.", Type.A, null, false, 7, false, false);
        assertNull(cached.cached(inBuffer(query), query.length, false), "not cached yet");
        cached.process(query, false);
        assertNotNull(cached.cached(inBuffer(query), query.length, false));
        assertNull(cached.cached(inBuffer(query), query.length, true), "TCP answers are cached apart");
        byte[] response = query.clone();
        response[2] |= (byte) 0x80;
        assertNull(cached.cached(inBuffer(response), response.length, false), "responses are dropped by process");
        byte[] notify = query.clone();
        notify[2] = (byte) (Opcode.NOTIFY << 3);
        assertNull(cached.cached(inBuffer(notify), notify.length, false));
        byte[] chaos = wire("host.second.example.", Type.A, null, false, 7, false, false);
        chaos[chaos.length - 1] = DClass.CH;
        assertNull(cached.cached(inBuffer(chaos), chaos.length, false));
        zones.put(TestZones.parse("second.example.", ("$ORIGIN second.example.\n@ 60 IN SOA ns1.conf.example. a 9 1 1 1 1\n"
                + "@ 60 IN NS ns1.conf.example.\nhost 60 IN A 203.0.113.9\n").getBytes(StandardCharsets.US_ASCII)));
        assertNull(cached.cached(inBuffer(query), query.length, false), "the zone table changed: process decides");
        assertTrue(parse(cached.process(query, false)).toString().contains("203.0.113.9"));
    }

    @Test
    void theLengthBoundsWhatIsRead() {
        for (Integer edns : new Integer[] {null, 1232}) {
            byte[] query = wire("www.conf.example.", Type.A, edns, false, 3, false, false);
            cached.process(query, false);
            byte[] buffer = inBuffer(query);
            assertNotNull(cached.cached(buffer, query.length, false));
            for (int cut = 0; cut < query.length; cut++) {
                assertNull(cached.cached(buffer, cut, false), "a query cut to " + cut + " bytes never hits");
            }
        }
        byte[] plain = wire("www.conf.example.", Type.A, null, false, 3, false, false);
        byte[] withOpt = wire("www.conf.example.", Type.A, 1232, false, 3, false, false);
        byte[] buffer = inBuffer(withOpt);
        System.arraycopy(plain, 0, buffer, 0, plain.length); // an OPT of an earlier query left after it
        CachedAnswer hit = cached.cached(buffer, plain.length, false);
        assertArrayEquals(uncached.process(plain, false), written(hit, plain), "answered as the query without OPT");
    }

    @Test
    void malformedNamesNeverHitAndGetFormErr() {
        byte[] header = {0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
        byte[][] questions = {
            {(byte) 0xC0, 0x0C, 0, 1, 0, 1},                         // compression pointer as the question name
            concat(new byte[] {64}, new byte[64], new byte[] {0, 0, 1, 0, 1}), // label of 64 bytes
            concat(repeat(new byte[] {63}, new byte[63], 5), new byte[] {0, 0, 1, 0, 1}), // name of 321 bytes
            {3, 'w', 'w', 'w'},                                       // name runs off the end
        };
        for (byte[] question : questions) {
            byte[] query = concat(header, question);
            assertNull(cached.cached(inBuffer(query), query.length, false));
            Message r = parse(cached.process(query, false));
            assertEquals(Rcode.FORMERR, r.getRcode());
            assertEquals(0x1234, r.getHeader().getID());
        }
    }

    @Test
    void sizeLimitsEdnsAndDoAreCachedApart() {
        byte[] plain = wire("big.conf.example.", Type.TXT, null, false, 1, false, false);
        byte[] edns = wire("big.conf.example.", Type.TXT, 1232, false, 2, false, false);
        byte[] dnssec = wire("big.conf.example.", Type.TXT, 1232, true, 3, false, false);
        cached.process(plain, false);
        assertNull(cached.cached(inBuffer(edns), edns.length, false), "EDNS is another variant");
        cached.process(edns, false);
        assertNull(cached.cached(inBuffer(dnssec), dnssec.length, false), "DO is another variant");
        cached.process(dnssec, false);
        byte[] truncated = written(cached.cached(inBuffer(plain), plain.length, false), plain);
        assertArrayEquals(uncached.process(plain, false), truncated);
        assertTrue(truncated.length <= ResponderConfig.udpPayloadPlainBytes);
        assertTrue(parse(truncated).getHeader().getFlag(Flags.TC), "cut to 512 bytes without EDNS");
        byte[] full = written(cached.cached(inBuffer(edns), edns.length, false), edns);
        assertArrayEquals(uncached.process(edns, false), full);
        assertTrue(full.length > ResponderConfig.udpPayloadPlainBytes);
        byte[] withDo = written(cached.cached(inBuffer(dnssec), dnssec.length, false), dnssec);
        assertArrayEquals(uncached.process(dnssec, false), withDo);
        assertNotEquals(Arrays.toString(full), Arrays.toString(withDo), "DO echoed in the OPT");
    }

    private static Message parse(byte[] wire) {
        try {
            return new Message(wire);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] repeat(byte[] length, byte[] label, int times) {
        byte[][] parts = new byte[times * 2][];
        for (int i = 0; i < times; i++) {
            parts[2 * i] = length;
            parts[2 * i + 1] = label;
        }
        return concat(parts);
    }
}
