package org.paxosdns.dns.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.paxosdns.dns.DnsClient;
import org.paxosdns.dns.TestZones;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The server counts its answers by rcode and transport, and what rate limiting withheld. */
class DnsCountersTest {
    @Test
    void countsAnswersByRcodeAndTransport() throws Exception {
        try (DnsServer server = DnsServer.start(ServerConfigs.plain(), TestZones.conformanceZones(), () -> 0)) {
            DnsCounters c = server.counters();
            int port = server.port();
            assertEquals(Rcode.NOERROR, ask(port, "www.conf.example.", false));
            assertEquals(Rcode.NOERROR, ask(port, "www.conf.example.", false));
            assertEquals(Rcode.NXDOMAIN, ask(port, "nothing-here.conf.example.", false));
            assertEquals(Rcode.REFUSED, ask(port, "www.not-served.test.", true));
            assertEquals(Rcode.FORMERR, rcodeOf(DnsClient.udp(port, new byte[] {1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9})));
            sendResponseDatagram(port);
            Await.until("the counters", () -> c.answers(false) == 4 && c.answers(true) == 1 && c.unanswered() == 1);
            assertEquals(2, c.answers(Rcode.NOERROR));
            assertEquals(1, c.answers(Rcode.NXDOMAIN));
            assertEquals(1, c.answers(Rcode.REFUSED));
            assertEquals(1, c.answers(Rcode.FORMERR));
            assertEquals(0, c.answers(Rcode.SERVFAIL));
            assertEquals(0, c.truncated());
            assertEquals(0, c.rrlDropped() + c.rrlSlipped());
        }
    }

    @Test
    void countsRateLimitedAnswers() throws Exception {
        DnsServerConfig cfg = ServerConfigs.with(4, 60_000, Set.of(), List.of(), List.of(), new RateLimitConfig(1, 2));
        try (DnsServer server = DnsServer.start(cfg, TestZones.conformanceZones(), () -> 0)) {
            DnsCounters c = server.counters();
            byte[] query = DnsClient.query("www.conf.example.", Type.A, null).toWire();
            int sent = 20;
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                for (int i = 0; i < sent; i++) {
                    socket.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), server.port()));
                }
            }
            Await.until("every datagram counted", () -> c.answers(false) + c.rrlDropped() == sent);
            assertTrue(c.rrlDropped() > 0, "some answers dropped");
            assertTrue(c.rrlSlipped() > 0, "some answers slipped");
            assertEquals(c.rrlSlipped(), c.truncated(), "a slip is an empty truncated answer");
            assertEquals(c.answers(false), c.answers(Rcode.NOERROR));
        }
    }

    private static int ask(int port, String name, boolean tcp) throws Exception {
        return DnsClient.ask(port, DnsClient.query(name, Type.A, null), tcp).getRcode();
    }

    private static int rcodeOf(byte[] wire) {
        return wire[3] & 0x0F;
    }

    /** A datagram with QR set: the server must drop it unanswered. */
    private static void sendResponseDatagram(int port) throws Exception {
        Message m = DnsClient.query("www.conf.example.", Type.A, null);
        m.getHeader().setFlag(org.xbill.DNS.Flags.QR);
        byte[] wire = m.toWire();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.send(new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), port));
        }
    }
}
