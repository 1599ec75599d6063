package org.paxosdns.dns.net;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.paxosdns.dns.ZoneContent;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Sends NOTIFY (RFC 1996) to the configured secondaries when a zone gets a new version, from
 * one background thread: each target is tried up to {@link #notifyAttemptsMax} times, waiting
 * {@link #notifyReplyTimeoutMs} for its acknowledgement each time. At most
 * {@link #notifyQueueMax} notifications wait; beyond that they are dropped and counted (the
 * secondaries still pick the change up at their SOA refresh).
 */
final class Notifier implements AutoCloseable {
    static final int notifyAttemptsMax = 5;
    static final int notifyReplyTimeoutMs = 1_000;
    static final int notifyQueueMax = 1_024;
    private static final int replyBytesMax = 512;

    private final List<InetSocketAddress> targets;
    private final ThreadPoolExecutor executor;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    Notifier(List<InetSocketAddress> targets) {
        this.targets = targets;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(notifyQueueMax), r -> {
                    Thread t = new Thread(r, "dns-notify");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Queues a NOTIFY of {@code zone} to every target. */
    void zoneChanged(ZoneContent zone) {
        for (InetSocketAddress target : targets) {
            try {
                executor.execute(() -> notifyOne(zone, target));
            } catch (RejectedExecutionException e) {
                failed.incrementAndGet();
            }
        }
    }

    /** NOTIFYs acknowledged by a secondary. */
    long acknowledged() {
        return acknowledged.get();
    }

    /** NOTIFYs given up after every attempt, or dropped from a full queue. */
    long failed() {
        return failed.get();
    }

    private void notifyOne(ZoneContent zone, InetSocketAddress target) {
        Message notify = new Message();
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        notify.getHeader().setFlag(Flags.AA);
        notify.addRecord(Record.newRecord(zone.origin(), Type.SOA, DClass.IN), Section.QUESTION);
        notify.addRecord(zone.soa(), Section.ANSWER);
        byte[] wire = notify.toWire();
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(notifyReplyTimeoutMs);
            for (int attempt = 0; attempt < notifyAttemptsMax; attempt++) {
                socket.send(new DatagramPacket(wire, wire.length, target));
                if (awaitAck(socket, notify.getHeader().getID())) {
                    acknowledged.incrementAndGet();
                    return;
                }
            }
        } catch (IOException e) {
            // counted below: the secondary falls back to its SOA refresh timer
        }
        failed.incrementAndGet();
    }

    private static boolean awaitAck(DatagramSocket socket, int id) throws IOException {
        byte[] buffer = new byte[replyBytesMax];
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(notifyReplyTimeoutMs);
        while (System.nanoTime() < deadline) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return false;
            }
            if (isAckOf(buffer, packet.getLength(), id)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAckOf(byte[] b, int length, int id) {
        return length >= 12 && ((b[0] & 0xFF) << 8 | (b[1] & 0xFF)) == id
                && (b[2] & 0x80) != 0 && ((b[2] >> 3) & 0xF) == Opcode.NOTIFY;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
