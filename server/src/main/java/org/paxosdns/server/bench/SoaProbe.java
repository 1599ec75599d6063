package org.paxosdns.server.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.paxosdns.server.client.DnsProbe;
import org.paxosdns.server.process.LocalCluster;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Asks every node of a cluster for a zone's SOA over UDP, again and again, until each answers
 * a serial at least the one expected: the bench's view of when a publish has reached every
 * server. One socket for all nodes, reused for every question (it asks every 0.5 ms, where
 * {@link DnsProbe} opens a resolver per question); a reply is matched by its ID and source, and
 * read with {@link DnsProbe#serialIn}.
 */
final class SoaProbe implements AutoCloseable {
    /** Pause between two rounds of questions to the nodes still behind, in microseconds: the resolution of the figure. */
    static final long RETRY_MICROS = 500;
    /** How long one question may wait for its answer, in milliseconds. */
    static final int ANSWER_TIMEOUT_MS = 200;
    /** Largest answer read, in bytes. */
    static final int ANSWER_BYTES_MAX = 4096;

    private final List<InetSocketAddress> nodes = new ArrayList<>();
    private final DatagramSocket socket;
    private final byte[] buffer = new byte[ANSWER_BYTES_MAX];
    private int nextId;

    SoaProbe(LocalCluster cluster) throws IOException {
        for (int i = 0; i < cluster.size(); i++) {
            nodes.add(cluster.dnsAddress(i));
        }
        socket = new DatagramSocket();
        socket.setSoTimeout(ANSWER_TIMEOUT_MS);
    }

    /**
     * Polls until every node answers {@code zone}'s SOA with a serial of at least {@code serial}
     * (no serial wrap in a bench); returns {@code System.nanoTime()} when the last one did, or -1
     * when {@code deadlineNanos} passed first.
     */
    long awaitSerial(String zone, long serial, long deadlineNanos) throws IOException {
        boolean[] reached = new boolean[nodes.size()];
        int behind = nodes.size();
        while (System.nanoTime() - deadlineNanos < 0) {
            for (int i = 0; i < nodes.size(); i++) {
                if (!reached[i] && serialAt(nodes.get(i), zone) >= serial) {
                    reached[i] = true;
                    behind--;
                }
            }
            if (behind == 0) {
                return System.nanoTime();
            }
            LockSupport.parkNanos(RETRY_MICROS * 1_000);
        }
        return -1;
    }

    /** The serial {@code node} answers for {@code zone}, or -1 on no answer, an error or no SOA. */
    private long serialAt(InetSocketAddress node, String zone) throws IOException {
        int id = nextId++ & 0xffff;
        Message query = Message.newQuery(Record.newRecord(Name.fromString(zone), Type.SOA, org.xbill.DNS.DClass.IN));
        query.getHeader().setID(id);
        byte[] wire = query.toWire();
        socket.send(new DatagramPacket(wire, wire.length, node));
        long deadline = System.nanoTime() + ANSWER_TIMEOUT_MS * 1_000_000L;
        while (System.nanoTime() - deadline < 0) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return -1;
            }
            if (!node.equals(packet.getSocketAddress())) {
                continue;
            }
            Message answer;
            try {
                answer = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
            } catch (org.xbill.DNS.WireParseException e) {
                return -1;
            }
            if (answer.getHeader().getID() != id) {
                continue; // a late answer to an earlier question
            }
            return DnsProbe.serialIn(answer).orElse(-1);
        }
        return -1;
    }

    @Override
    public void close() {
        socket.close();
    }
}
