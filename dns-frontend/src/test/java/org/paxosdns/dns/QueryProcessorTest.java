package org.paxosdns.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Bytes in, bytes out: bad input, and the answer cache giving the same bytes as a fresh answer. */
class QueryProcessorTest {
    private final ZoneTable zones = TestZones.conformanceZones();
    private final QueryProcessor cached = new QueryProcessor(new Responder(ResponderConfig.defaults(), () -> 0), zones, 1000);
    private final QueryProcessor uncached = new QueryProcessor(new Responder(ResponderConfig.defaults(), () -> 0), zones, 0);

    @Test
    void cachedAnswersEqualFreshAnswersWithIdCaseAndRdPatched() {
        byte[] first = DnsClient.query("www.conf.example.", Type.MX, 1232).toWire();
        cached.process(first, false);
        Message second = DnsClient.query("WWW.Conf.EXAMPLE.", Type.MX, 1232);
        second.getHeader().setID(4242);
        second.getHeader().setFlag(Flags.RD);
        second.getHeader().setFlag(Flags.CD);
        byte[] wire = second.toWire();
        assertArrayEquals(uncached.process(wire, false), cached.process(wire, false));
    }

    @Test
    void aNewZoneVersionIsNotAnsweredFromTheOldVersionsCache() throws Exception {
        byte[] query = DnsClient.query("host.second.example.", Type.A, null).toWire();
        cached.process(query, false);
        String changed = "$ORIGIN second.example.\n@ 60 IN SOA ns1.conf.example. a 8 1 1 1 1\n@ 60 IN NS ns1.conf.example.\n"
                + "host 60 IN A 203.0.113.7\n";
        zones.put(TestZones.parse("second.example.", changed.getBytes(StandardCharsets.US_ASCII)));
        Message r = new Message(cached.process(query, false));
        assertEquals("203.0.113.7", ((ARecord) r.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
    }

    @Test
    void cachedAnswersSurviveChangesOfOtherZonesButNotRemovalOfTheirOwn() throws Exception {
        byte[] query = DnsClient.query("www.conf.example.", Type.A, 1232).toWire();
        byte[] fresh = cached.process(query, false);
        zones.markPending(org.xbill.DNS.Name.fromConstantString("other.test."));
        assertArrayEquals(fresh, cached.process(query, false));
        zones.remove(org.xbill.DNS.Name.fromConstantString("conf.example."));
        assertEquals(Rcode.REFUSED, new Message(cached.process(query, false)).getRcode());
        zones.markPending(org.xbill.DNS.Name.fromConstantString("conf.example."));
        assertEquals(Rcode.SERVFAIL, new Message(cached.process(query, false)).getRcode());
    }

    @Test
    void shortPacketsAndResponsesAreDropped() {
        assertNull(cached.process(new byte[11], false));
        byte[] response = DnsClient.query("www.conf.example.", Type.A, null).toWire();
        response[2] |= (byte) 0x80;
        assertNull(cached.process(response, false));
    }

    @Test
    void unparseableQueryIsFormErrWithItsId() throws Exception {
        byte[] garbage = {0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 63, 'a', 'b'};
        Message r = new Message(cached.process(garbage, false));
        assertEquals(0x1234, r.getHeader().getID());
        assertEquals(Rcode.FORMERR, r.getRcode());
        assertTrue(r.getHeader().getFlag(Flags.QR));
    }

    @Test
    void udpAnswersFitTheClientsLimit() {
        byte[] plain = DnsClient.query("big.conf.example.", Type.TXT, null).toWire();
        assertTrue(cached.process(plain, false).length <= 512);
        byte[] tcp = cached.process(plain, true);
        assertTrue(tcp.length > 512);
    }
}
