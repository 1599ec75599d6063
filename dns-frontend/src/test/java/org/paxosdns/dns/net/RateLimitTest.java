package org.paxosdns.dns.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.paxosdns.dns.DnsClient;
import org.paxosdns.dns.TestZones;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Response rate limiting per prefix, with slip; off unless configured. */
class RateLimitTest {
    private static final byte[] response = DnsClient.query("www.conf.example.", Type.A, null).toWire();

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
