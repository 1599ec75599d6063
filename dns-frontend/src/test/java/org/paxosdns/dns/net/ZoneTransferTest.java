package org.paxosdns.dns.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.paxosdns.dns.DnsClient;
import org.paxosdns.dns.TestZones;
import org.paxosdns.dns.ZoneContent;
import org.paxosdns.dns.ZoneTable;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/** AXFR over real TCP: allowed by address, by TSIG (every message signed), refused otherwise. */
class ZoneTransferTest {
    private static final Name keyName = Name.fromConstantString("xfr-key.");
    private static final String secret = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final TsigKey key = new TsigKey(keyName, TSIG.HMAC_SHA256, secret);

    private static ZoneTable zonesWithLargeZone() {
        ZoneTable zones = TestZones.conformanceZones();
        StringBuilder text = new StringBuilder("$ORIGIN large.test.\n@ 60 IN SOA ns h 1 2 3 4 5\n@ 60 IN NS ns\n");
        for (int i = 0; i < 3000; i++) {
            text.append("host").append(i).append(" 60 IN A 192.0.2.").append(i % 250).append('\n');
        }
        zones.put(TestZones.parse("large.test.", text.toString().getBytes(StandardCharsets.US_ASCII)));
        return zones;
    }

    /** Sends an AXFR request and reads messages until the closing SOA (or an error answer). */
    private static List<Message> transfer(int port, String zone, TSIG signer) throws Exception {
        Message query = DnsClient.query(zone, Type.AXFR, null);
        if (signer != null) {
            query.setTSIG(signer, Rcode.NOERROR, null);
        }
        byte[] wire = query.toWire(Message.MAXLENGTH);
        List<Message> messages = new ArrayList<>();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), DnsClient.replyTimeoutMs);
            socket.setSoTimeout(DnsClient.replyTimeoutMs);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(wire.length);
            out.write(wire);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            TSIG.StreamVerifier verifier = signer == null ? null : new TSIG.StreamVerifier(signer, new Message(wire).getTSIG());
            int soas = 0;
            while (soas < 2) {
                byte[] reply = DnsClient.readFrame(in);
                Message m = new Message(reply);
                if (verifier != null && m.getRcode() == Rcode.NOERROR) {
                    assertEquals(Rcode.NOERROR, verifier.verify(m, reply), "TSIG of message " + messages.size());
                }
                messages.add(m);
                if (m.getRcode() != Rcode.NOERROR) {
                    break;
                }
                soas += (int) m.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.SOA).count();
            }
        }
        return messages;
    }

    private static int answerRecords(List<Message> messages) {
        return messages.stream().mapToInt(m -> m.getSection(Section.ANSWER).size()).sum();
    }

    @Test
    void allowedAddressGetsTheWholeZoneInSeveralMessages() throws Exception {
        ZoneTable zones = zonesWithLargeZone();
        ZoneContent large = zones.get(Name.fromConstantString("large.test.")).map(s -> ((org.paxosdns.dns.ZoneSlot.Ready) s).content()).orElseThrow();
        DnsServerConfig cfg = ServerConfigs.with(4, 60_000, Set.of(InetAddress.getLoopbackAddress()), List.of(), List.of(), RateLimitConfig.off());
        try (DnsServer server = DnsServer.start(cfg, zones, () -> 0)) {
            List<Message> messages = transfer(server.port(), "large.test.", null);
            assertTrue(messages.size() > 1, "split into messages: " + messages.size());
            assertEquals(large.recordCount() + 1, answerRecords(messages));
            List<Record> first = messages.get(0).getSection(Section.ANSWER);
            assertEquals(Type.SOA, first.get(0).getType());
        }
    }

    @Test
    void tsigSignedRequestGetsASignedTransfer() throws Exception {
        DnsServerConfig cfg = ServerConfigs.with(4, 60_000, Set.of(), List.of(key), List.of(), RateLimitConfig.off());
        try (DnsServer server = DnsServer.start(cfg, zonesWithLargeZone(), () -> 0)) {
            List<Message> messages = transfer(server.port(), "large.test.", key.tsig());
            assertEquals(3000 + 3, answerRecords(messages));
            assertTrue(messages.size() > 1);
        }
    }

    @Test
    void unsignedOrBadlySignedRequestsAreRefused() throws Exception {
        DnsServerConfig cfg = ServerConfigs.with(4, 60_000, Set.of(), List.of(key), List.of(), RateLimitConfig.off());
        try (DnsServer server = DnsServer.start(cfg, zonesWithLargeZone(), () -> 0)) {
            assertEquals(Rcode.REFUSED, transfer(server.port(), "conf.example.", null).get(0).getRcode());
            TSIG wrong = new TSIG(TSIG.HMAC_SHA256, keyName, Base64.getEncoder().encodeToString(new byte[32]));
            assertEquals(Rcode.NOTAUTH, transfer(server.port(), "conf.example.", wrong).get(0).getHeader().getRcode());
            assertEquals(Rcode.REFUSED, transfer(server.port(), "not-served.test.", key.tsig()).get(0).getRcode());
        }
    }

    @Test
    void theServersKeysAlsoSignOrdinaryQueriesOverUdpAndTcp() throws Exception {
        DnsServerConfig cfg = ServerConfigs.with(4, 60_000, Set.of(), List.of(key), List.of(), RateLimitConfig.off());
        try (DnsServer server = DnsServer.start(cfg, TestZones.conformanceZones(), () -> 0)) {
            for (boolean tcp : new boolean[] {false, true}) {
                Message query = DnsClient.query("www.conf.example.", Type.A, 1232);
                query.setTSIG(key.tsig(), Rcode.NOERROR, null);
                byte[] wire = query.toWire(Message.MAXLENGTH);
                byte[] reply = tcp ? DnsClient.tcp(server.port(), wire) : DnsClient.udp(server.port(), wire);
                Message r = new Message(reply);
                assertEquals(Rcode.NOERROR, r.getRcode());
                assertEquals(Rcode.NOERROR, key.tsig().verify(r, reply, new Message(wire).getTSIG()), tcp ? "tcp" : "udp");
            }
        }
    }

    @Test
    void axfrOverUdpIsFormErr() throws Exception {
        try (DnsServer server = DnsServer.start(ServerConfigs.plain(), TestZones.conformanceZones(), () -> 0)) {
            Message r = DnsClient.ask(server.port(), DnsClient.query("conf.example.", Type.AXFR, null), false);
            assertEquals(Rcode.FORMERR, r.getRcode());
        }
    }
}
