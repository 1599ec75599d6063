package org.paxosdns.zonestore.zone;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.paxosdns.zonestore.zone.ZoneProblem.Kind;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

final class ZoneValidatorTest {
    static final String HEAD = """
            $TTL 3600
            @   IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300
            @   IN NS  ns1
            """;

    private final ZoneValidator validator = new ZoneValidator(new ZoneLimits(4096, 20, 8));

    static Stream<Arguments> brokenZones() {
        return Stream.of(
                Arguments.of("syntax error with its line", HEAD + "www IN A 10.0.0.300\n", Kind.SYNTAX, 4, "line 4"),
                Arguments.of("unknown type", HEAD + "\n\nwww IN BOGUS 1\n", Kind.SYNTAX, 6, "BOGUS"),
                Arguments.of("$INCLUDE refused", HEAD + "$INCLUDE /etc/passwd\n", Kind.INCLUDE_REFUSED, 4, "$INCLUDE"),
                Arguments.of("$GENERATE beyond the expansion limit", HEAD + "$GENERATE 1-9 h$ A 10.0.0.$\n",
                        Kind.GENERATE_TOO_LARGE, 0, "generateExpansionMax=8"),
                Arguments.of("$GENERATE limit is over all lines", HEAD
                        + "$GENERATE 1-5 a$ A 10.0.0.$\n$GENERATE 1-5 b$ A 10.0.1.$\n",
                        Kind.GENERATE_TOO_LARGE, 0, "10 records"),
                Arguments.of("too many records", HEAD + manyRecords(19), Kind.TOO_MANY_RECORDS, 0,
                        "zoneRecordsMax=20"),
                Arguments.of("owner outside the zone", HEAD + "www.example.net. IN A 10.0.0.1\n", Kind.OUT_OF_ZONE, 0,
                        "www.example.net."),
                Arguments.of("sibling that only shares a suffix", HEAD + "badexample.com. IN A 10.0.0.1\n",
                        Kind.OUT_OF_ZONE, 0, "badexample.com."),
                Arguments.of("$ORIGIN moved elsewhere", "$ORIGIN example.org.\n" + HEAD, Kind.OUT_OF_ZONE, 0,
                        "example.org."),
                Arguments.of("no TTL anywhere", "www IN A 192.0.2.1\n@ IN SOA ns1 hm 1 1 1 1 1\n@ IN NS ns1\n",
                        Kind.SYNTAX, 1, "missing TTL"),
                Arguments.of("no SOA", "$TTL 60\n@ IN NS ns1\n", Kind.NO_SOA, 0, "no SOA"),
                Arguments.of("two SOAs", HEAD + "@ IN SOA ns2 hm 5 1 1 1 1\n", Kind.MULTIPLE_SOA, 0, "more than one SOA"),
                Arguments.of("SOA below the apex", "$TTL 60\nsub IN SOA ns1 hm 1 1 1 1 1\n@ IN NS ns1\n",
                        Kind.SOA_NOT_AT_APEX, 0, "sub.example.com."),
                Arguments.of("no NS at the apex", "$TTL 60\n@ IN SOA ns1 hm 1 1 1 1 1\nsub IN NS ns1\n",
                        Kind.NO_APEX_NS, 0, "no NS"),
                Arguments.of("class other than IN", HEAD + "txt CH TXT \"x\"\n", Kind.WRONG_CLASS, 0, "CH"),
                Arguments.of("too many bytes", HEAD + ";" + "x".repeat(4096) + "\n", Kind.TOO_LARGE, 0,
                        "zoneBytesMax=4096"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenZones")
    void eachRuleRefusesWithAPreciseProblem(String title, String zone, Kind kind, int line, String mentioned) {
        ZoneCheck check = validator.parse("Example.COM", zone.getBytes(UTF_8));
        ZoneProblem problem = assertInstanceOf(ZoneCheck.Invalid.class, check).problem();
        assertEquals(kind, problem.kind(), problem.message());
        assertEquals(line, problem.line(), problem.message());
        assertTrue(problem.message().contains(mentioned), problem.message());
    }

    @Test
    void aGoodZoneGivesItsRecordsAndSerialUnderTheNormalizedApex() throws Exception {
        String zone = HEAD + "www IN A 192.0.2.1\n$GENERATE 1-3 host$ A 10.0.0.$\n";
        List<Record> streamed = new ArrayList<>();
        ZoneCheck check = validator.parse("Example.COM", zone.getBytes(UTF_8), streamed::add);
        ParsedZone parsed = assertInstanceOf(ZoneCheck.Valid.class, check).zone();

        assertEquals("example.com.", parsed.fqdn());
        assertEquals(2024010101L, parsed.soaSerial());
        assertEquals(6, parsed.recordCount());
        assertEquals(6, streamed.size());
        Name host3 = Name.fromString("host3.example.com.");
        assertTrue(streamed.stream().anyMatch(r -> r.getType() == Type.A && r.getName().equals(host3)));
    }

    @Test
    void aSinkThatRefusesARecordMakesTheZoneInvalid() {
        ZoneCheck check = validator.parse("example.com.", HEAD.getBytes(UTF_8), record -> {
            throw new IllegalArgumentException("index full");
        });
        assertTrue(assertInstanceOf(ZoneCheck.Invalid.class, check).problem().message().contains("index full"));
    }

    @Test
    void theSerialMustBeNewerThanTheServedOne() {
        byte[] zone = HEAD.getBytes(UTF_8);
        assertTrue(validator.check("example.com.", zone, OptionalLong.empty()).isValid());
        assertTrue(validator.check("example.com.", zone, OptionalLong.of(2024010100L)).isValid());

        ZoneCheck same = validator.check("example.com.", zone, OptionalLong.of(2024010101L));
        assertEquals(Kind.STALE_SERIAL, assertInstanceOf(ZoneCheck.Invalid.class, same).problem().kind());
        ZoneCheck older = validator.check("example.com.", zone, OptionalLong.of(2024010102L));
        assertEquals(Kind.STALE_SERIAL, assertInstanceOf(ZoneCheck.Invalid.class, older).problem().kind());
    }

    @Test
    void anInvalidZoneNameIsRefused() {
        ZoneCheck check = validator.parse("bad..name", HEAD.getBytes(UTF_8));
        assertEquals(Kind.BAD_NAME, assertInstanceOf(ZoneCheck.Invalid.class, check).problem().kind());
    }

    @Test
    void garbageBytesAreASyntaxErrorNotACrash() {
        byte[] garbage = new byte[512];
        new java.util.Random(7).nextBytes(garbage);
        ZoneCheck check = validator.parse("example.com.", garbage);
        assertInstanceOf(ZoneCheck.Invalid.class, check);
    }

    private static String manyRecords(int n) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append("h").append(i).append(" IN A 10.0.0.1\n");
        }
        return text.toString();
    }
}
