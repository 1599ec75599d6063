package org.paxosdns.dns.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.paxosdns.dns.QueryProcessor;
import org.paxosdns.dns.Responder;
import org.paxosdns.dns.ResponderConfig;
import org.paxosdns.dns.DnsClient;
import org.paxosdns.dns.TestZones;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Response rate limiting per prefix and response kind, with slip; off unless configured. */
class RateLimitTest {
    private static final byte[] response = DnsClient.query("www.conf.example.", Type.A, null).toWire();
    private static final QueryProcessor processor = new QueryProcessor(
            new Responder(ResponderConfig.defaults(), () -> 0), TestZones.conformanceZones(), 0);

    /** The real encoded answer to {@code name}/{@code type}. */
    private static byte[] answer(String name, int type) {
        return processor.process(DnsClient.query(name, type, null).toWire(), false);
    }

    /** One response of each kind, from the conformance zones. */
    private static final Map<ResponseKind, byte[]> byKind = Map.of(
            ResponseKind.positive, answer("www.conf.example.", Type.A),
            ResponseKind.noData, answer("ns1.conf.example.", Type.TXT),
            ResponseKind.nxDomain, answer("nope.conf.example.", Type.A),
            ResponseKind.referral, answer("a.deleg.conf.example.", Type.A),
            ResponseKind.error, answer("example.org.", Type.A));

    @Test
    void responsesAreClassifiedByKind() {
        byKind.forEach((kind, r) -> assertEquals(kind, ResponseKind.of(r), kind.name()));
    }

    /** Rows: two responses; whether they share one bucket (Knot's and BIND's accounting). */
    static Stream<Arguments> bucketTable() {
        return Stream.of(
                Arguments.of("same name, same type", answer("www.conf.example.", Type.A), answer("WWW.conf.example.", Type.A), true),
                Arguments.of("positive: other type", answer("www.conf.example.", Type.A), answer("www.conf.example.", Type.AAAA), false),
                Arguments.of("positive: other name", answer("www.conf.example.", Type.A), answer("ns1.conf.example.", Type.A), false),
                Arguments.of("NODATA: other name", answer("ns1.conf.example.", Type.TXT), answer("www.conf.example.", Type.TXT), false),
                Arguments.of("NXDOMAIN: one zone, any name", answer("nope.conf.example.", Type.A), answer("other.conf.example.", Type.MX), true),
                Arguments.of("NXDOMAIN: other zone", answer("nope.conf.example.", Type.A), answer("nope.second.example.", Type.A), false),
                Arguments.of("referral: one cut, any name", answer("a.deleg.conf.example.", Type.A), answer("b.c.deleg.conf.example.", Type.MX), true),
                Arguments.of("referral: other cut", answer("a.deleg.conf.example.", Type.A), answer("a.child.second.example.", Type.A), false),
                Arguments.of("errors: any name", answer("example.org.", Type.A), answer("other.test.", Type.MX), true),
                Arguments.of("NXDOMAIN vs positive", answer("nope.conf.example.", Type.A), answer("www.conf.example.", Type.A), false),
                Arguments.of("NODATA vs positive", answer("ns1.conf.example.", Type.TXT), answer("ns1.conf.example.", Type.A), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bucketTable")
    void bucketsFollowTheResponseKind(String row, byte[] first, byte[] second, boolean shared) throws Exception {
        InetAddress client = InetAddress.getByName("192.0.2.1");
        RateLimiter limiter = new RateLimiter(new RateLimitConfig(1, 0), () -> 0);
        assertArrayEquals(first, limiter.admit(client, first));
        byte[] admitted = limiter.admit(client, second);
        assertEquals(shared, admitted == null, row);
        assertEquals(shared, RateLimiter.bucket(client, first).equals(RateLimiter.bucket(client, second)), row);
    }

    @Test
    void aFloodOfOneKindLeavesTheOtherKindsAlone() throws Exception {
        InetAddress client = InetAddress.getByName("192.0.2.1");
        RateLimiter limiter = new RateLimiter(new RateLimitConfig(5, 0), () -> 0);
        for (int i = 0; i < 100; i++) {
            limiter.admit(client, answer("n" + i + ".conf.example.", Type.A));
        }
        assertNull(limiter.admit(client, byKind.get(ResponseKind.nxDomain)), "the NXDOMAIN bucket is spent");
        for (ResponseKind kind : List.of(ResponseKind.positive, ResponseKind.noData, ResponseKind.referral, ResponseKind.error)) {
            assertArrayEquals(byKind.get(kind), limiter.admit(client, byKind.get(kind)), kind.name());
        }
    }

    @Test
    void malformedResponsesFallIntoABucketWithoutThrowing() throws Exception {
        InetAddress client = InetAddress.getByName("192.0.2.1");
        byte[] nx = byKind.get(ResponseKind.nxDomain);
        for (int cut = 12; cut < nx.length; cut++) {
            assertEquals(ResponseKind.nxDomain, RateLimiter.bucket(client, java.util.Arrays.copyOf(nx, cut)).kind());
        }
        byte[] loop = java.util.Arrays.copyOf(nx, nx.length);
        loop[12] = (byte) 0xC0;
        loop[13] = 12;
        assertEquals(ResponseKind.nxDomain, RateLimiter.bucket(client, loop).kind());
    }

    @Test
    void limitsPerPrefixPerSecondAndSlips() throws Exception {
        AtomicLong now = new AtomicLong();
        RateLimiter limiter = new RateLimiter(new RateLimitConfig(2, 2), now::get);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress sameSlash24 = InetAddress.getByName("192.0.2.200");
        InetAddress other = InetAddress.getByName("198.51.100.1");
        assertArrayEquals(response, limiter.admit(a, response));
        assertArrayEquals(response, limiter.admit(sameSlash24, response));
        assertNull(limiter.admit(a, response));
        byte[] slipped = limiter.admit(a, response);
        assertTrue(new Message(slipped).getHeader().getFlag(Flags.TC));
        assertTrue(new Message(slipped).getSection(Section.ANSWER).isEmpty());
        assertArrayEquals(response, limiter.admit(other, response));
        now.addAndGet(1_000_000_000L);
        assertArrayEquals(response, limiter.admit(a, response));
    }

    @Test
    void ipv6PrefixIsSlash56() throws Exception {
        assertEquals(RateLimiter.prefix(InetAddress.getByName("2001:db8:0:1200::1")),
                RateLimiter.prefix(InetAddress.getByName("2001:db8:0:12ff::2")));
        assertTrue(RateLimiter.prefix(InetAddress.getByName("2001:db8:0:1200::1"))
                != RateLimiter.prefix(InetAddress.getByName("2001:db8:0:1300::1")));
    }

    @Test
    void disabledLimiterPassesEverything() throws Exception {
        RateLimiter limiter = new RateLimiter(RateLimitConfig.off(), () -> 0);
        for (int i = 0; i < 1000; i++) {
            assertArrayEquals(response, limiter.admit(InetAddress.getLoopbackAddress(), response));
        }
    }

    @Test
    void serverSlipsUdpAnswersBeyondTheRate() throws Exception {
        DnsServerConfig cfg = ServerConfigs.with(4, 60_000, Set.of(), List.of(), List.of(), new RateLimitConfig(1, 1));
        try (DnsServer server = DnsServer.start(cfg, TestZones.conformanceZones(), () -> 0)) {
            int queries = 10;
            int full = 0;
            long start = System.nanoTime();
            for (int i = 0; i < queries; i++) {
                Message r = DnsClient.ask(server.port(), DnsClient.query("www.conf.example.", Type.A, null), false);
                full += r.getHeader().getFlag(Flags.TC) ? 0 : 1;
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(full <= seconds + 2, full + " full answers in " + seconds + " s at 1/s");
            Message tcp = DnsClient.ask(server.port(), DnsClient.query("www.conf.example.", Type.A, null), true);
            assertTrue(!tcp.getHeader().getFlag(Flags.TC), "TCP is not rate limited");
        }
    }
}
