package org.paxosdns.server.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An open-loop DNS load over UDP at a fixed rate, with the latency of every answer in a
 * histogram: the figures dnsperf gives as an average, a maximum and a standard deviation, as
 * percentiles, which one stall of a shared machine cannot decide the way it decides a maximum.
 * One thread sends the queries of a dnsperf-style file ("name TYPE" per line) in turn, paced by
 * the clock; another receives. An answer is matched to its query by the 16-bit ID, so a query
 * still unanswered when its ID comes round again (65,536 queries later) counts as lost.
 */
public final class DnsLatencyBench {
    /** Queries in flight that can be told apart: one per DNS message ID. */
    static final int IDS_MAX = 1 << 16;
    /** Largest answer read, in bytes (the server's answers to plain queries fit 512). */
    static final int ANSWER_BYTES_MAX = 4096;
    /** Highest latency the histogram holds, in nanoseconds (larger values are clamped to it). */
    static final long LATENCY_NANOS_MAX = TimeUnit.SECONDS.toNanos(10);
    /** Receive buffer asked of the kernel, in bytes (it caps it at net.core.rmem_max): answers wait there while the receiver is off the CPU. */
    static final int RECEIVE_BUFFER_BYTES = 8 << 20;
    /** How long the receiver waits for late answers after the last query, in milliseconds. */
    static final long DRAIN_MS = 500;
    /** Pacing: the sender sleeps while the next query is due more than this far ahead, in nanoseconds. */
    private static final long SLEEP_AHEAD_NANOS = 20_000;

    /** What one window measured; latencies in nanoseconds. */
    public record Result(long sent, long answered, Histogram latencyNanos, double seconds) {
        public long lost() {
            return sent - answered;
        }
    }

    private DnsLatencyBench() {
    }

    /** The queries of a dnsperf data file, each encoded without EDNS as dnsperf sends them without -e. */
    public static List<byte[]> readQueries(Path file) throws IOException {
        List<byte[]> queries = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length != 2 || fields[0].startsWith(";")) {
                continue;
            }
            queries.add(encode(fields[0], fields[1], line));
        }
        if (queries.isEmpty()) {
            throw new IOException(file + ": no query lines (\"name TYPE\")");
        }
        return queries;
    }

    private static byte[] encode(String name, String type, String line) throws IOException {
        int qtype = Type.value(type);
        if (qtype < 0) {
            throw new IOException("unknown type in query line: " + line);
        }
        try {
            return Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), qtype, DClass.IN)).toWire();
        } catch (TextParseException e) {
            throw new IOException("bad name in query line: " + line, e);
        }
    }

    /** Sends {@code rate} queries a second to {@code server} for {@code seconds}, cycling through {@code queries}. */
    public static Result run(InetSocketAddress server, List<byte[]> queries, int rate, double seconds)
            throws IOException, InterruptedException {
        if (rate <= 0 || seconds <= 0) {
            throw new IllegalArgumentException("rate and seconds must be positive");
        }
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
            channel.connect(server);
            AtomicLongArray sentAt = new AtomicLongArray(IDS_MAX);
            Receiver receiver = new Receiver(channel, sentAt);
            Thread thread = new Thread(receiver, "dns-latency-receiver");
            thread.start();
            long began = System.nanoTime();
            long sent = send(channel, queries, sentAt, rate, (long) (seconds * 1e9), began);
            double elapsed = (System.nanoTime() - began) / 1e9;
            Thread.sleep(DRAIN_MS);
            channel.close(); // ends the receiver's blocking read
            thread.join(); // after which its counts are ours to read
            return new Result(sent, receiver.answered, receiver.latency, elapsed);
        }
    }

    private static long send(DatagramChannel channel, List<byte[]> queries, AtomicLongArray sentAt, int rate,
                             long windowNanos, long began) throws IOException {
        ByteBuffer out = ByteBuffer.allocateDirect(ANSWER_BYTES_MAX);
        double intervalNanos = 1e9 / rate;
        long total = (long) (windowNanos / intervalNanos);
        for (long k = 0; k < total; k++) {
            long due = began + (long) (k * intervalNanos);
            long ahead = due - System.nanoTime();
            if (ahead > SLEEP_AHEAD_NANOS) {
                LockSupport.parkNanos(ahead);
            }
            byte[] query = queries.get((int) (k % queries.size()));
            int id = (int) (k & (IDS_MAX - 1));
            out.clear();
            out.put(query).putShort(0, (short) id).flip();
            sentAt.set(id, System.nanoTime());
            channel.write(out);
        }
        return total;
    }

    /** Reads answers until the channel closes; each first answer to a query in flight goes into the histogram. */
    private static final class Receiver implements Runnable {
        private final DatagramChannel channel;
        private final AtomicLongArray sentAt;
        private final Histogram latency = new Histogram(LATENCY_NANOS_MAX, 3);
        private long answered;

        Receiver(DatagramChannel channel, AtomicLongArray sentAt) {
            this.channel = channel;
            this.sentAt = sentAt;
        }

        @Override
        public void run() {
            ByteBuffer in = ByteBuffer.allocateDirect(ANSWER_BYTES_MAX);
            try {
                while (true) {
                    in.clear();
                    if (channel.read(in) < 2) {
                        continue;
                    }
                    long now = System.nanoTime();
                    long at = sentAt.getAndSet(in.getShort(0) & 0xFFFF, 0);
                    if (at != 0) {
                        latency.recordValue(Math.min(now - at, LATENCY_NANOS_MAX));
                        answered++;
                    }
                }
            } catch (ClosedChannelException e) {
                // the window is over
            } catch (IOException e) {
                System.err.println("dns-latency: receive failed: " + e);
            }
        }
    }
}
