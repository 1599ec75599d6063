package org.paxosdns.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The lookup result kind for names of the conformance zone, one row per case. */
class ZoneLookupTest {
    private static final ZoneContent zone = TestZones.resource("conf.example.", "/conformance/conf.example.zone");

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "conf.example.,            SOA,   Answer",
        "conf.example.,            ANY,   Answer",
        "mail.conf.example.,       A,     Answer",
        "MAIL.Conf.Example.,       A,     Answer",
        "mail.conf.example.,       AAAA,  NoData",
        "www.conf.example.,        A,     Cname",
        "www.conf.example.,        CNAME, Answer",
        "nx.conf.example.,         A,     NxDomain",
        "below.www.conf.example.,  A,     NxDomain",
        "c.ent.conf.example.,      A,     NoData",
        "ent.conf.example.,        TXT,   NoData",
        "a.b.c.ent.conf.example.,  A,     Answer",
        "qq.wild.conf.example.,    A,     Answer",
        "qq.wild.conf.example.,    MX,    NoData",
        "a.b.wild.conf.example.,   TXT,   Answer",
        "exists.wild.conf.example., TXT,  NoData",
        "below.exists.wild.conf.example., A, NxDomain",
        "qq.wc.conf.example.,      A,     Cname",
        "deleg.conf.example.,      A,     Delegation",
        "deleg.conf.example.,      DS,    Answer",
        "below.deleg.conf.example., DS,   Delegation",
        "ns.deleg.conf.example.,   A,     Delegation",
        "sub.conf.example.,        DNAME, Answer",
        "sub.conf.example.,        A,     NoData",
        "x.sub.conf.example.,      A,     Dname",
        "a.x.sub.conf.example.,    AAAA,  Dname",
    })
    void classifiesNames(String name, String type, String kind) {
        LookupResult result = zone.lookup(Name.fromConstantString(name), Type.value(type));
        assertEquals(kind, result.getClass().getSimpleName());
    }

    @Test
    void wildcardAnswersTakeTheQueryNameAsOwner() {
        LookupResult result = zone.lookup(Name.fromConstantString("qq.wild.conf.example."), Type.A);
        LookupResult.Answer answer = (LookupResult.Answer) result;
        assertTrue(answer.wildcard());
        assertEquals(Name.fromConstantString("qq.wild.conf.example."), answer.rrset().getName());
    }

    @Test
    void negativeSoaTtlIsTheSmallerOfTtlAndMinimum() {
        assertEquals(60, zone.negativeSoa().getTTL());
        ZoneContent second = TestZones.resource("second.example.", "/conformance/second.example.zone");
        assertEquals(300, second.negativeSoa().getTTL());
    }

    @Test
    void refusesRecordsThatDoNotFormAZone() {
        byte[] noSoa = "$ORIGIN z.test.\n@ 60 IN NS ns\n".getBytes(StandardCharsets.US_ASCII);
        assertThrows(IllegalArgumentException.class, () -> TestZones.parse("z.test.", noSoa));
        byte[] outside = "$ORIGIN z.test.\n@ 60 IN SOA ns h 1 2 3 4 5\nx.other.test. 60 IN A 192.0.2.1\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertThrows(IllegalArgumentException.class, () -> TestZones.parse("z.test.", outside));
        assertThrows(IllegalArgumentException.class,
                () -> ZoneContent.build(Name.fromConstantString("z.test."), List.of(), "v"));
    }

    @Test
    void axfrOrderStartsWithTheSoa() {
        assertEquals(Type.SOA, zone.records().get(0).getType());
        assertEquals(zone.recordCount(), zone.records().size());
    }
}
