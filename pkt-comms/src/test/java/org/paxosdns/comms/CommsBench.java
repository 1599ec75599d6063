package org.paxosdns.comms;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.paxosdns.identity.HostPort;
import org.paxosdns.identity.Roster;
import org.paxosdns.identity.TestKeys;

/**
 * Throughput of one encrypted peer connection over loopback: node0 sends to node1 as fast as
 * the queue takes it; node1 counts what its handler receives. Not run by {@code mvn verify};
 * see bench/comms.sh. Arguments: [seconds per run] (default 10). Besides wall-clock rates it
 * prints the process CPU used, because this 2-core machine is shared with other builds.
 */
public final class CommsBench {
    private static final int APP = 1;
    private static final long WARMUP_MS = 3_000;
    /** The sender pauses while this many content bytes wait in node0's queue. */
    private static final long QUEUED_BYTES_PACE = 8L << 20;

    /** How long the sender rests when the queue is full, rather than spinning on a shared core. */
    private static final long PACE_PARK_NANOS = 50_000;

    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private CommsBench() {}

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
        Roster roster = TestKeys.roster(2, i -> new HostPort("127.0.0.1", 1));
        LongAdder receivedMessages = new LongAdder();
        LongAdder receivedBytes = new LongAdder();
        Mesh node1 = Mesh.start(MeshConfig.defaults(roster, 1, TestKeys.server(1), new InetSocketAddress("127.0.0.1", 0)));
        node1.register(APP, (from, contents) -> {
            receivedMessages.increment();
            receivedBytes.add(contents.length);
        });
        Mesh node0 = Mesh.start(MeshConfig.defaults(roster, 0, TestKeys.server(0), new InetSocketAddress("127.0.0.1", 0))
                .withDialOverrides(Map.of(1, new InetSocketAddress("127.0.0.1", node1.localPort()))));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!node0.isUp(1) || !node1.isUp(0)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the two nodes did not connect");
                }
                Thread.onSpinWait();
            }
            System.out.printf("cores=%d epoll=%s seconds=%d%n", Runtime.getRuntime().availableProcessors(),
                    io.netty.channel.epoll.Epoll.isAvailable(), seconds);
            run("100 B", node0, 100, seconds, receivedMessages, receivedBytes);
            run("64 KiB", node0, 64 * 1024, seconds, receivedMessages, receivedBytes);
            System.out.println("dropped=" + node0.stats().dropped() + " keyRenewals=" + node0.stats().keyRenewals());
        } finally {
            node0.close();
            node1.close();
        }
    }

    private static void run(String label, Mesh sender, int size, long seconds, LongAdder messages, LongAdder bytes) {
        long warmupEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WARMUP_MS);
        long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
        long startMessages = -1;
        long startBytes = -1;
        long startNanos = 0;
        long startCpuNanos = 0;
        byte[] payload = new byte[size]; // shared by every send: nobody modifies it
        while (true) {
            long now = System.nanoTime();
            if (startMessages < 0 && now >= warmupEnd) {
                startMessages = messages.sum();
                startBytes = bytes.sum();
                startNanos = now;
                startCpuNanos = CPU.getProcessCpuTime();
            }
            if (now >= end) {
                break;
            }
            if (sender.queuedBytes(1) > QUEUED_BYTES_PACE || !sender.send(APP, 1, payload)) {
                LockSupport.parkNanos(PACE_PARK_NANOS);
            }
        }
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double cpuSeconds = (CPU.getProcessCpuTime() - startCpuNanos) / 1e9;
        long count = messages.sum() - startMessages;
        long volume = bytes.sum() - startBytes;
        System.out.printf("%-7s %,12.0f messages/s %,10.1f MB/s   cpu %.2f cores   per cpu-second: %,12.0f messages %,10.1f MB%n",
                label, count / elapsed, volume / elapsed / 1e6, cpuSeconds / elapsed, count / cpuSeconds,
                volume / cpuSeconds / 1e6);
        while (sender.queuedBytes(1) > 0) {
            LockSupport.parkNanos(PACE_PARK_NANOS);
        }
    }
}
