package org.paxosdns.dns;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The compact zone holds what dnsjava's RRsets held: same records, TTLs, order and names. */
class ZoneContentBuilderTest {
    private static final String head = """
            $ORIGIN b.test.
            @ 3600 IN SOA ns1 hostmaster 7 7200 3600 1209600 300
            @ 3600 IN NS ns1
            ns1 3600 IN A 192.0.2.1
            """;

    private static ZoneContent zone(String body) {
        return TestZones.parse("b.test.", (head + body).getBytes(UTF_8));
    }

    private static RRset answer(ZoneContent zone, String name, int type) {
        return assertInstanceOf(LookupResult.Answer.class, zone.lookup(Name.fromConstantString(name), type)).rrset();
    }

    @Test
    void anRRsetDropsDuplicatesKeepsArrivalOrderAndTakesTheLowestTtl() {
        ZoneContent zone = zone("""
                m 300 IN A 192.0.2.7
                other 60 IN A 192.0.2.8
                m 100 IN A 192.0.2.5
                m 900 IN A 192.0.2.7
                """);
        RRset set = answer(zone, "m.b.test.", Type.A);
        assertEquals(List.of("192.0.2.7", "192.0.2.5"), set.rrs(false).stream().map(Record::rdataToString).toList());
        assertEquals(100, set.getTTL());
        assertEquals(7, zone.recordCount());
    }

    @Test
    void aLargeRRsetDropsItsDuplicatesToo() {
        StringBuilder body = new StringBuilder();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 100; i++) {
                body.append("big 300 IN TXT \"v").append(i).append("\"\n");
            }
        }
        RRset set = answer(zone(body.toString()), "big.b.test.", Type.TXT);
        assertEquals(100, set.size());
        assertEquals("\"v0\"", set.first().rdataToString());
    }

    @Test
    void ownersKeepTheirCaseAndAreFoundInAnyCase() {
        ZoneContent zone = zone("MiXed 300 IN TXT \"t\"\n");
        RRset set = answer(zone, "mixed.B.TEST.", Type.TXT);
        assertEquals("MiXed.b.test.", set.getName().toString());
    }

    @Test
    void everyAncestorUpToTheApexIsAnEmptyNonTerminal() {
        ZoneContent zone = zone("a.b.c.d 300 IN A 192.0.2.9\n");
        for (String ent : List.of("b.c.d.b.test.", "c.d.b.test.", "d.b.test.")) {
            assertInstanceOf(LookupResult.NoData.class, zone.lookup(Name.fromConstantString(ent), Type.A), ent);
        }
        assertInstanceOf(LookupResult.NxDomain.class, zone.lookup(Name.fromConstantString("x.d.b.test."), Type.A));
    }

    @Test
    void manyNamesSurviveTheIndexGrowingAndAllRecordsComeBackForATransfer() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            body.append("h").append(i).append(" 300 IN AAAA 2001:db8::").append(Integer.toHexString(i)).append('\n');
        }
        ZoneContent zone = zone(body.toString());
        assertEquals("2001:db8:0:0:0:0:0:4e1f", answer(zone, "h19999.b.test.", Type.AAAA).first().rdataToString());
        List<Record> all = zone.records();
        assertEquals(20_003, all.size());
        assertEquals(Type.SOA, all.get(0).getType());
    }

    @Test
    void serviceNamesWithTheirEmptyParentsAreServed() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 20_000; i++) { // two empty non-terminals per owner: _udp.hN and hN
            body.append("_sip._udp.h").append(i).append(" 300 IN SRV 0 0 5060 ns1\n");
        }
        ZoneContent zone = zone(body.toString());
        assertInstanceOf(LookupResult.NoData.class, zone.lookup(Name.fromConstantString("_udp.h19999.b.test."), Type.A));
        assertInstanceOf(LookupResult.NoData.class, zone.lookup(Name.fromConstantString("h19999.b.test."), Type.A));
    }

    @Test
    void ownersImplyingTooManyEmptyNonTerminalsAreRefusedNotIndexed() {
        // 2,000 owners 64 labels below the apex, no two sharing an ancestor: 126,000 empty
        // non-terminals from a 300 KB file, where 4 per owner plus the slack allow 73,536.
        StringBuilder body = new StringBuilder();
        String middle = ".a".repeat(62);
        for (int i = 0; i < 2_000; i++) {
            body.append('x').append(middle).append(".t").append(i).append(" 300 IN A 192.0.2.1\n");
        }
        var e = assertThrows(IllegalArgumentException.class, () -> zone(body.toString()));
        assertTrue(e.getMessage().contains("empty non-terminals"), e.getMessage());
    }

    @Test
    void aRecordOutsideTheZoneOrASecondSoaIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> zone("x.other.test. 300 IN A 192.0.2.1\n"));
        assertThrows(IllegalArgumentException.class,
                () -> zone("@ 3600 IN SOA ns2 hostmaster 8 7200 3600 1209600 300\n"));
    }
}
