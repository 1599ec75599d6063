package org.paxosdns.dns.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.paxosdns.dns.DnsClient;
import org.paxosdns.dns.TestZones;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** TCP on a real socket: pipelined queries, the per-client connection limit, the idle timeout. */
class TcpTransportTest {
    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), DnsClient.replyTimeoutMs);
        s.setSoTimeout(DnsClient.replyTimeoutMs);
        return s;
    }

    @Test
    void pipelinedQueriesAreAllAnsweredInOrder() throws Exception {
        try (DnsServer server = DnsServer.start(ServerConfigs.plain(), TestZones.conformanceZones(), () -> 0);
             Socket socket = connect(server.port())) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(burst);
            String[] names = {"www.conf.example.", "nx.conf.example.", "many.conf.example.", "example.org.", "host.second.example."};
            for (int i = 0; i < names.length; i++) {
                Message q = DnsClient.query(names[i], Type.A, null);
                q.getHeader().setID(100 + i);
                byte[] wire = q.toWire();
                out.writeShort(wire.length);
                out.write(wire);
            }
            socket.getOutputStream().write(burst.toByteArray());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            List<Integer> rcodes = new ArrayList<>();
            for (int i = 0; i < names.length; i++) {
                Message r = new Message(DnsClient.readFrame(in));
                assertEquals(100 + i, r.getHeader().getID());
                rcodes.add(r.getRcode());
            }
            assertEquals(List.of(Rcode.NOERROR, Rcode.NXDOMAIN, Rcode.NOERROR, Rcode.REFUSED, Rcode.NOERROR), rcodes);
        }
    }

    @Test
    void connectionsBeyondThePerClientLimitAreClosed() throws Exception {
        DnsServerConfig cfg = ServerConfigs.with(2, 60_000, Set.of(), List.of(), List.of(), RateLimitConfig.off());
        try (DnsServer server = DnsServer.start(cfg, TestZones.conformanceZones(), () -> 0);
             Socket first = connect(server.port());
             Socket second = connect(server.port())) {
            assertAnswers(first);
            assertAnswers(second);
            try (Socket third = connect(server.port())) {
                assertEquals(-1, readOrTimeout(third.getInputStream()));
            }
            assertAnswers(first);
        }
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        DnsServerConfig cfg = ServerConfigs.with(4, 200, Set.of(), List.of(), List.of(), RateLimitConfig.off());
        try (DnsServer server = DnsServer.start(cfg, TestZones.conformanceZones(), () -> 0);
             Socket socket = connect(server.port())) {
            assertEquals(-1, readOrTimeout(socket.getInputStream()));
        }
    }

    @Test
    void truncatedUdpAnswerIsCompleteOverTcpOnTheSamePort() throws Exception {
        try (DnsServer server = DnsServer.start(ServerConfigs.plain(), TestZones.conformanceZones(), () -> 0)) {
            Message q = DnsClient.query("many.conf.example.", Type.A, null);
            Message udp = DnsClient.ask(server.port(), q, false);
            Message tcp = DnsClient.ask(server.port(), q, true);
            assertEquals(true, udp.getHeader().getFlag(org.xbill.DNS.Flags.TC));
            assertEquals(40, tcp.getSection(org.xbill.DNS.Section.ANSWER).size());
        }
    }

    private static void assertAnswers(Socket socket) throws IOException {
        byte[] wire = DnsClient.query("www.conf.example.", Type.A, null).toWire();
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeShort(wire.length);
        out.write(wire);
        out.flush();
        assertEquals(Rcode.NOERROR, new Message(DnsClient.readFrame(new DataInputStream(socket.getInputStream()))).getRcode());
    }

    /** -1 when the server closed the connection; fails the test if it stayed open too long. */
    private static int readOrTimeout(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("connection still open after " + DnsClient.replyTimeoutMs + " ms", e);
        }
    }
}
