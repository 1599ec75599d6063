package org.paxosdns.dns.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.paxosdns.dns.DnsClient;
import org.paxosdns.dns.TestZones;
import org.paxosdns.dns.ZoneTable;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Type;

/** A new zone version sends NOTIFY to a (fake) secondary, retried until acknowledged. */
class NotifyTest {
    @Test
    void newVersionIsNotifiedAndRetriedUntilAcknowledged() throws Exception {
        try (DatagramSocket secondary = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            secondary.setSoTimeout(DnsClient.replyTimeoutMs);
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), secondary.getLocalPort());
            ZoneTable zones = TestZones.conformanceZones();
            DnsServerConfig cfg = ServerConfigs.with(4, 60_000, Set.of(), List.of(), List.of(target), RateLimitConfig.off());
            try (DnsServer server = DnsServer.start(cfg, zones, () -> 0)) {
                String v2 = "$ORIGIN second.example.\n@ 60 IN SOA ns1.conf.example. a 8 1 1 1 1\n@ 60 IN NS ns1.conf.example.\n";
                zones.put(TestZones.parse("second.example.", v2.getBytes(StandardCharsets.US_ASCII)));
                Message ignored = receive(secondary);
                Message retry = receive(secondary);
                assertEquals(Opcode.NOTIFY, retry.getHeader().getOpcode());
                assertEquals(ignored.getHeader().getID(), retry.getHeader().getID());
                assertEquals("second.example.", retry.getQuestion().getName().toString());
                assertEquals(Type.SOA, retry.getQuestion().getType());
                acknowledge(secondary, retry);
                Await.until("NOTIFY acknowledged", () -> server.notifiesAcknowledged() == 1);
            }
        }
    }

    private static Message receive(DatagramSocket socket) throws Exception {
        byte[] buffer = new byte[512];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        Message m = new Message(java.util.Arrays.copyOf(buffer, packet.getLength()));
        lastSender = (InetSocketAddress) packet.getSocketAddress();
        return m;
    }

    private static InetSocketAddress lastSender;

    private static void acknowledge(DatagramSocket socket, Message notify) throws Exception {
        Message ack = new Message(notify.getHeader().getID());
        ack.getHeader().setOpcode(Opcode.NOTIFY);
        ack.getHeader().setFlag(Flags.QR);
        ack.addRecord(notify.getQuestion(), org.xbill.DNS.Section.QUESTION);
        byte[] wire = ack.toWire();
        socket.send(new DatagramPacket(wire, wire.length, lastSender));
    }
}
