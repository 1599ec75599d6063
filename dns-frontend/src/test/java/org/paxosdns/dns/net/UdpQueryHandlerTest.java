package org.paxosdns.dns.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.paxosdns.dns.DnsClient;
import org.paxosdns.dns.QueryProcessor;
import org.paxosdns.dns.Responder;
import org.paxosdns.dns.ResponderConfig;
import org.paxosdns.dns.TestZones;
import org.paxosdns.dns.ZoneTable;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Over real UDP: answers served from the cache through the reused query buffer are those of an
 * uncached processor, whatever came before them on the socket; oversized datagrams are cut. In a
 * pipeline of its own: when the answers of a read are flushed.
 */
class UdpQueryHandlerTest {
    private final ZoneTable zones = TestZones.conformanceZones();
    private final QueryProcessor uncached = new QueryProcessor(new Responder(ResponderConfig.defaults(), () -> 0), zones, 0);

    @Test
    void cacheHitsOverUdpEqualFreshAnswersAfterLongerAndShorterQueries() throws Exception {
        try (DnsServer server = DnsServer.start(ServerConfigs.plain(), zones, () -> 0)) {
            String[] names = {"www.conf.example.", "WWW.conf.EXAMPLE.", "big.conf.example.", "host.second.example.",
                "HOST.Second.Example.", "nothing-here.conf.example.", "a.b.c.d.e.f.nothing.conf.example."};
            int id = 1;
            for (int round = 0; round < 3; round++) {
                for (String name : names) {
                    for (Integer edns : new Integer[] {null, 1232, 4096}) {
                        Message q = DnsClient.query(name, name.startsWith("big") ? Type.TXT : Type.A, edns);
                        q.getHeader().setID(id++);
                        if (id % 2 == 0) {
                            q.getHeader().setFlag(Flags.RD);
                        }
                        byte[] wire = q.toWire();
                        assertArrayEquals(uncached.process(wire, false), DnsClient.udp(server.port(), wire),
                                name + " EDNS " + edns + " round " + round);
                    }
                }
            }
            assertEquals(0, server.counters().answers(Rcode.FORMERR));
        }
    }

    @Test
    void aDatagramLongerThanTheQueryBufferIsCutAndAnsweredFormErr() throws Exception {
        try (DnsServer server = DnsServer.start(ServerConfigs.plain(), zones, () -> 0)) {
            byte[] query = DnsClient.query("www.conf.example.", Type.A, null).toWire();
            byte[] oversized = Arrays.copyOf(query, DnsServer.udpQueryMaxBytes + 1000);
            oversized[11] = 1; // one additional record of a private type: root owner, rdata to the end
            int at = query.length + 1;
            oversized[at] = (byte) 0xFF; // type 65280
            oversized[at + 3] = 1; // class IN
            int rdataBytes = oversized.length - (at + 10);
            oversized[at + 8] = (byte) (rdataBytes >> 8);
            oversized[at + 9] = (byte) rdataBytes;
            assertEquals(Rcode.NOERROR, new Message(uncached.process(oversized, false)).getRcode(), "whole, it is fine");
            byte[] reply = DnsClient.udp(server.port(), oversized);
            Message r = new Message(reply);
            assertEquals(Rcode.FORMERR, r.getRcode());
            assertEquals(new Message(query).getHeader().getID(), r.getHeader().getID());
        }
    }

    @Test
    void afterAShortReadEachAnswerLeavesAtOnceAfterABusyReadOnlyAtTheEnd() {
        QueryHandler handler = new QueryHandler(uncached, new RateLimiter(RateLimitConfig.off(), System::nanoTime),
                new ZoneTransfer(zones, Set.of(), List.of()), new DnsCounters());
        EmbeddedChannel channel = new EmbeddedChannel(new UdpQueryHandler(handler));
        try {
            assertEquals(List.of(1, 2, 3, 4, 5, 5), sentAfterEachAnswer(channel, 5), "first read: the socket was not busy before it");
            int busy = UdpQueryHandler.busyReadMin;
            List<Integer> busyRead = sentAfterEachAnswer(channel, busy);
            assertEquals(List.of(6, 9, 5 + busy, 5 + busy), List.of(busyRead.get(0), busyRead.get(3), busyRead.get(busy - 1), busyRead.get(busy)),
                    "a read of " + busy + " still follows a short one");
            List<Integer> afterBusy = sentAfterEachAnswer(channel, 5);
            assertEquals(List.of(5 + busy, 5 + busy, 5 + busy, 5 + busy, 5 + busy, 10 + busy), afterBusy,
                    "after a read of " + busy + " datagrams, one flush at the end");
            assertEquals(List.of(11 + busy, 11 + busy), sentAfterEachAnswer(channel, 1), "short again: at once");
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** Feeds one read of {@code answers} queries; the datagrams sent after each, then after the read's end. */
    private static List<Integer> sentAfterEachAnswer(EmbeddedChannel channel, int answers) {
        byte[] wire = DnsClient.query("www.conf.example.", Type.A, null).toWire();
        InetSocketAddress client = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5300);
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), 53);
        List<Integer> sent = new ArrayList<>();
        for (int i = 0; i < answers; i++) {
            channel.pipeline().fireChannelRead(new DatagramPacket(Unpooled.wrappedBuffer(wire), server, client));
            sent.add(channel.outboundMessages().size());
        }
        channel.pipeline().fireChannelReadComplete();
        sent.add(channel.outboundMessages().size());
        return sent;
    }
}
