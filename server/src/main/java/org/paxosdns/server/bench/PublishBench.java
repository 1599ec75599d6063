package org.paxosdns.server.bench;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.paxosdns.identity.CommanderEntry;
import org.paxosdns.identity.Keys;
import org.paxosdns.proto.CommandReply;
import org.paxosdns.proto.CommanderRequest;
import org.paxosdns.proto.CommanderResponse;
import org.paxosdns.proto.UploadReply;
import org.paxosdns.server.commander.CommanderClient;
import org.paxosdns.server.process.LocalCluster;
import org.paxosdns.zonestore.command.CommandBuilder;

/**
 * Zone publishes end to end: a fresh cluster of node processes whose roster names a number of
 * commanders, each with its own key and its own zone; every commander publishes new versions of
 * its ~1 KiB zone file (upload, then a signed PutZone), one at a time, all commanders at once.
 * Everything is signed before the timed windows. Two windows: one for publishes/s and publish
 * latency, one that after each acknowledgement waits until every node answers the new SOA
 * serial over UDP (propagation, measured from the acknowledgement).
 */
public final class PublishBench {
    /** How long the cluster may take to become healthy, in milliseconds. */
    static final long START_MS_MAX = 120_000;
    /** How long one request to the commander port may take, in milliseconds. */
    static final int REQUEST_TIMEOUT_MS = 30_000;
    /** How long a new serial may take to reach every node before the publish counts as failed, in milliseconds. */
    static final long PROPAGATION_MS_MAX = 10_000;
    /** Size the generated zone files are padded to, in bytes. */
    public static final int ZONE_FILE_BYTES = 1024;
    /** Parent of the commanders' zones; commander i owns {@code c<i>.publish.bench.}. */
    static final String ZONE_PARENT = "publish.bench.";

    /** What to run. */
    public record Settings(Path dir, int nodes, int commanders, int publishes, int propagationPublishes, int warmup,
                           int rsaBits) {}

    /** The figures of one run; latencies in nanoseconds. */
    public record Result(int publishes, int failed, double seconds, Histogram publishNanos, Histogram commitNanos,
                         Histogram propagationNanos, List<String> failures) {
        /** {@code publishes/s=… publish_p50_ms=… … propagation_p99_ms=…}. */
        public String figures() {
            return String.format(Locale.ROOT, "publishes/s=%.0f publish_p50_ms=%.2f publish_p99_ms=%.2f commit_p50_ms=%.2f "
                            + "commit_p99_ms=%.2f propagation_p50_ms=%.2f propagation_p99_ms=%.2f propagation_max_ms=%.2f "
                            + "failed=%d seconds=%.2f",
                    (publishes - failed) / seconds, ms(publishNanos, 50), ms(publishNanos, 99), ms(commitNanos, 50),
                    ms(commitNanos, 99), ms(propagationNanos, 50), ms(propagationNanos, 99),
                    propagationNanos.getMaxValue() / 1e6, failed, seconds);
        }

        private static double ms(Histogram h, double percentile) {
            return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
        }
    }

    /** One pre-signed publish: the zone's new serial, its signed upload and its signed command. */
    private record Publish(String fqdn, long serial, byte[] upload, byte[] command) {}

    private PublishBench() {
    }

    /** Runs a warm-up, the throughput window and the propagation window; returns both windows. */
    public static List<Result> run(Settings settings, PrintStream log) throws Exception {
        List<KeyPair> keys = IntStream.range(0, settings.commanders()).parallel()
                .mapToObj(i -> Keys.generate(settings.rsaBits())).toList();
        List<CommanderEntry> entries = IntStream.range(0, settings.commanders())
                .mapToObj(i -> new CommanderEntry(commanderId(i), keys.get(i).getPublic(), List.of(zone(i)))).toList();
        Path dir = settings.dir() != null ? settings.dir() : Files.createTempDirectory("paxosdns-bench-publish-");
        try (LocalCluster cluster = LocalCluster.prepare(dir, settings.nodes(), LocalCluster.freeBasePort(settings.nodes()),
                settings.rsaBits(), entries)) {
            int rounds = settings.warmup() + settings.publishes() + settings.propagationPublishes();
            List<List<Publish>> signed = sign(cluster, keys, rounds, log);
            cluster.startAll();
            if (!LocalCluster.await(START_MS_MAX, () -> IntStream.range(0, cluster.size()).allMatch(cluster::healthy))) {
                throw new IOException("the cluster did not become healthy:\n" + cluster.logTail(0, 20));
            }
            log.printf("bench: cluster up in %s, %d commanders%n", dir, settings.commanders());
            Result warm = window(cluster, signed, 0, settings.warmup(), false);
            log.println("bench: warm-up " + warm.figures() + " " + warm.failures());
            Result rate = window(cluster, signed, settings.warmup(), settings.publishes(), false);
            Result spread = window(cluster, signed, settings.warmup() + settings.publishes(), settings.propagationPublishes(), true);
            return List.of(rate, spread);
        } finally {
            if (settings.dir() == null) {
                SignedCache.delete(dir);
            }
        }
    }

    static String commanderId(int i) {
        return "c" + i;
    }

    static String zone(int i) {
        return commanderId(i) + "." + ZONE_PARENT;
    }

    /** For every commander, {@code rounds} publishes of its zone with serials 1..rounds, signed in parallel. */
    private static List<List<Publish>> sign(LocalCluster cluster, List<KeyPair> keys, int rounds, PrintStream log) {
        long t0 = System.nanoTime();
        byte[] clusterId = cluster.roster().clusterId();
        List<List<Publish>> signed = IntStream.range(0, keys.size()).parallel().mapToObj(c -> {
            List<Publish> publishes = new ArrayList<>(rounds);
            for (int serial = 1; serial <= rounds; serial++) {
                CommandBuilder builder = new CommandBuilder(clusterId, commanderId(c), keys.get(c).getPrivate());
                byte[] content = zoneFile(zone(c), serial);
                publishes.add(new Publish(zone(c), serial, builder.signUpload(zone(c), content),
                        builder.putZoneFile(zone(c), content).sign(serial)));
            }
            return publishes;
        }).toList();
        log.printf("bench: signed %d publishes in %.1f s%n", rounds * keys.size(), (System.nanoTime() - t0) / 1e9);
        return signed;
    }

    /** A zone file of about {@link #ZONE_FILE_BYTES} bytes: SOA, NS, addresses and TXT padding. */
    static byte[] zoneFile(String fqdn, long serial) {
        StringBuilder text = new StringBuilder();
        text.append("$ORIGIN ").append(fqdn).append("\n$TTL 300\n");
        text.append("@ IN SOA ns1 hostmaster ").append(serial).append(" 3600 600 86400 300\n");
        text.append("@ IN NS ns1\nns1 IN A 192.0.2.1\nwww IN A 192.0.2.").append(serial % 250 + 2).append('\n');
        int line = 0;
        while (text.length() < ZONE_FILE_BYTES - 60) {
            text.append("t").append(line++).append(" IN TXT \"published-version-").append(serial).append("\"\n");
        }
        return text.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Every commander, on its own thread and connection (commander i talks to node i mod N),
     * sends publishes {@code from .. from+perCommander} of its list; with {@code propagation}
     * each acknowledgement is followed by waiting for every node to answer the new serial.
     */
    private static Result window(LocalCluster cluster, List<List<Publish>> signed, int from, int perCommander,
                                 boolean propagation) throws Exception {
        Histogram publish = new ConcurrentHistogram(3);
        Histogram commit = new ConcurrentHistogram(3);
        Histogram spread = new ConcurrentHistogram(3);
        AtomicInteger failed = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < signed.size(); c++) {
            List<Publish> mine = signed.get(c).subList(from, from + perCommander);
            CommanderClient client = CommanderClient.connect(
                    cluster.roster().server(c % cluster.size()).commander().toSocketAddress(), REQUEST_TIMEOUT_MS);
            SoaProbe probe = propagation ? new SoaProbe(cluster) : null;
            Thread t = new Thread(() -> {
                try (client; SoaProbe p = probe) {
                    start.await();
                    for (Publish one : mine) {
                        String failure = publishOne(client, one, p, publish, commit, spread);
                        if (failure != null && failed.incrementAndGet() <= ClosedLoop.FAILURES_KEPT_MAX) {
                            failures.add(one.fqdn() + " serial " + one.serial() + ": " + failure);
                        }
                    }
                } catch (IOException e) {
                    failures.add(e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-commander-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        long began = System.nanoTime();
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        return new Result(signed.size() * perCommander, failed.get(), seconds, publish, commit, spread, List.copyOf(failures));
    }

    /** Uploads, commits and (with a probe) waits for propagation; null when all went well, else why not. */
    private static String publishOne(CommanderClient client, Publish one, SoaProbe probe, Histogram publish, Histogram commit,
                                     Histogram spread) throws IOException {
        long t0 = System.nanoTime();
        CommanderResponse uploaded = client.call(CommanderRequest.newBuilder().setSignedUpload(ByteString.copyFrom(one.upload())),
                REQUEST_TIMEOUT_MS);
        if (uploaded.hasError() || UploadReply.parseFrom(uploaded.getUploadReply()).getStatus() != UploadReply.Status.STORED) {
            return "upload: " + (uploaded.hasError() ? uploaded.getError().getMessage() : uploaded.getUploadReply());
        }
        long t1 = System.nanoTime();
        CommanderResponse r = client.call(CommanderRequest.newBuilder().setSignedCommand(ByteString.copyFrom(one.command())),
                REQUEST_TIMEOUT_MS);
        long acked = System.nanoTime();
        if (r.hasError()) {
            return r.getError().getMessage();
        }
        CommandReply reply = CommandReply.parseFrom(r.getCommandReply());
        if (reply.getStatus() != CommandReply.Status.APPLIED || reply.getDuplicate()) {
            return reply.getStatus() + " " + reply.getMessage();
        }
        publish.recordValue(acked - t0);
        commit.recordValue(acked - t1);
        if (probe == null) {
            return null;
        }
        long reached = probe.awaitSerial(one.fqdn(), one.serial(), acked + PROPAGATION_MS_MAX * 1_000_000);
        if (reached < 0) {
            return "serial " + one.serial() + " not answered by every node within " + PROPAGATION_MS_MAX + " ms";
        }
        spread.recordValue(reached - acked);
        return null;
    }
}
