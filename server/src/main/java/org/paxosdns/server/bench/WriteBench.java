package org.paxosdns.server.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.paxosdns.proto.CommanderRequest;
import org.paxosdns.proto.CommanderResponse;
import org.paxosdns.proto.KvReply;
import org.paxosdns.server.process.LocalCluster;

/**
 * The write path end to end: a cluster of node processes on this machine, signed key-value
 * puts (appNdx 2) of a fixed value size, all signed in parallel before the timed window, sent by
 * a number of client threads over pipelined commander connections. A warm-up run (its own
 * commands) goes first so the nodes' JIT has compiled the path.
 */
public final class WriteBench {
    /** How long the cluster may take to become healthy, in milliseconds. */
    static final long START_MS_MAX = 120_000;
    /** Distinct keys written (the key-value application holds at most 100,000). */
    static final int KEYS = 10_000;
    /** How long a restarted node may take to catch up, in milliseconds. */
    static final long CATCH_UP_MS_MAX = 600_000;
    /** How long one write may take before the bench counts it failed, in milliseconds. */
    static final long WRITE_TIMEOUT_MS = 30_000;
    /** A node counts as quiet below this share of one core (the JIT done with the warm-up's queue). */
    static final double QUIET_CORE_SHARE_MAX = 0.05;
    /** The interval over which quiet is judged, in milliseconds. */
    static final long QUIET_INTERVAL_MS = 500;
    /** The longest wait for quiet nodes before the timed run starts anyway, in milliseconds. */
    static final long QUIET_WAIT_MS_MAX = 30_000;
    /**
     * JVM options of the bench's nodes: a young generation large enough that a value's life in the
     * engine (from its proposal to the next snapshot, about 1.5 s at 16,000 writes/s) ends before the
     * next young collection. With {@link LocalCluster#NODE_JAVA_OPTIONS} (512 MB, a young generation of
     * about 100 MB) every collection copied the log's recent values and promoted 7-8 MB of them, and
     * the old generation filled up to a full collection every 8 s: 44-62 ms of collection per second
     * on each node at full load, against 7-11 ms with these (bench/README.md, session 7). Transparent
     * huge pages and no Netty leak sampling, as the DNS benchmark's nodes run: 74-77 against 78-81 us
     * of node CPU per write in three paired runs.
     */
    static final List<String> NODE_JAVA_OPTIONS = List.of("-Xms1536m", "-Xmx1536m", "-Xmn768m", "-XX:+UseSerialGC",
            "-XX:+UseTransparentHugePages", "-Dio.netty.leakDetection.level=disabled");
    /** The file in the template directory a run holds locked (see {@link #withCluster}). */
    static final String TEMPLATE_LOCK_FILE = "bench.lock";

    /** What to run: {@code target} "all" spreads connections over every node, "leader" uses the leader only. */
    public record Settings(Path dir, int nodes, int commands, int warmup, int clients, int connections, int valueBytes,
                           int rsaBits, boolean leaderOnly) {}

    private WriteBench() {
    }

    /** The outcome of a catch-up run: the writes made while a follower was down, and how long it took to catch up. */
    public record CatchUp(ClosedLoop.Result writes, long stateNdx, double healthySeconds, double caughtUpSeconds) {}

    /** A benchmark body, run against a started cluster with the signed commands and the leader's index. */
    private interface ClusterTask<T> {
        T run(LocalCluster cluster, byte[][] signed, int leader) throws Exception;
    }

    /**
     * Runs warm-up and timed loads against a fresh cluster copied from the template in
     * {@code settings.dir()} (made by {@code cluster init} on first use, never started itself), so
     * the commands signed for it, cached there, stay valid run after run; returns the timed run.
     */
    public static ClosedLoop.Result run(Settings settings, PrintStream log) throws Exception {
        return withCluster(settings, log, (cluster, signed, leader) -> {
            List<PipelinedCommanderConnection> connections = connect(cluster, settings, leader, -1);
            try {
                ClosedLoop.Result warm = load(connections, signed, 0, settings.warmup(), settings.clients());
                log.println("bench: warm-up " + warm.figures() + " " + warm.failures());
                List<Long> pids = IntStream.range(0, cluster.size()).mapToObj(i -> cluster.node(i).pid()).toList();
                log.printf("bench: nodes quiet after the warm-up in %d ms%n",
                        CpuMeter.awaitQuiet(pids, QUIET_CORE_SHARE_MAX, QUIET_INTERVAL_MS, QUIET_WAIT_MS_MAX));
                CpuMeter cpu = CpuMeter.start(IntStream.range(0, cluster.size()).mapToObj(i -> "node" + i + (i == leader ? "L" : "")).toList(),
                        pids);
                ClosedLoop.Result timed = load(connections, signed, settings.warmup(), settings.commands(), settings.clients());
                return logFailures(timed.withCpu(cpu.perOperation(timed.operations())), log);
            } finally {
                close(connections);
            }
        });
    }

    /**
     * Stops a follower, writes {@code settings.commands()} through the leader, restarts the
     * follower and measures how long until it is healthy and until its key-value stateNdx reaches
     * the leader's (log replay, then catch-up from its peers, values or snapshot).
     */
    public static CatchUp catchUp(Settings settings, PrintStream log) throws Exception {
        return withCluster(settings, log, (cluster, signed, leader) -> {
            int lagging = (leader + 1) % cluster.size();
            cluster.node(lagging).stop();
            log.printf("bench: node%d stopped; writing %d commands%n", lagging, settings.commands());
            List<PipelinedCommanderConnection> connections = connect(cluster, settings, leader, lagging);
            ClosedLoop.Result writes;
            try {
                writes = logFailures(load(connections, signed, settings.warmup(), settings.commands(), settings.clients()), log);
            } finally {
                close(connections);
            }
            long target = cluster.state(leader).map(WriteBench::kvStateNdx).orElse(-1L);
            long t0 = System.nanoTime();
            cluster.node(lagging).start();
            LocalCluster.await(CATCH_UP_MS_MAX, () -> cluster.healthy(lagging));
            double healthy = (System.nanoTime() - t0) / 1e9;
            boolean caughtUp = LocalCluster.await(CATCH_UP_MS_MAX,
                    () -> cluster.state(lagging).map(WriteBench::kvStateNdx).orElse(-1L) >= target);
            double seconds = caughtUp ? (System.nanoTime() - t0) / 1e9 : Double.NaN;
            return new CatchUp(writes, target, healthy, seconds);
        });
    }

    /**
     * Runs {@code task} on a fresh copy of the template, holding the template's lock file: every copy
     * has the template's roster and so its ports, and a second run beside the first would find
     * those ports taken, or worse, the first run's healthy nodes, and measure them.
     */
    private static <T> T withCluster(Settings settings, PrintStream log, ClusterTask<T> task) throws Exception {
        java.nio.file.Files.createDirectories(settings.dir());
        try (java.nio.channels.FileChannel lockFile = java.nio.channels.FileChannel.open(settings.dir().resolve(TEMPLATE_LOCK_FILE),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            if (lockFile.tryLock() == null) {
                log.println("bench: another run uses the template " + settings.dir() + "; waiting for it to end");
                lockFile.lock();
            }
            return withClusterLocked(settings, log, task);
        }
    }

    private static <T> T withClusterLocked(Settings settings, PrintStream log, ClusterTask<T> task) throws Exception {
        LocalCluster template = SignedCache.prepareTemplate(settings.dir(), settings.nodes(), settings.rsaBits());
        byte[][] signed = SignedCache.load(template, settings.warmup() + settings.commands(), settings.valueBytes(), log);
        Path runDir = java.nio.file.Files.createTempDirectory("paxosdns-bench-run-");
        SignedCache.copyCluster(settings.dir(), runDir);
        try (LocalCluster cluster = LocalCluster.prepare(runDir, settings.nodes(), 0, settings.rsaBits(), List.of(),
                NODE_JAVA_OPTIONS)) {
            cluster.startAll();
            if (!LocalCluster.await(START_MS_MAX, () -> IntStream.range(0, cluster.size()).allMatch(cluster::healthy))) {
                throw new IOException("the cluster did not become healthy:\n" + cluster.logTail(0, 20));
            }
            int leader = kvLeader(cluster);
            log.printf("bench: cluster up in %s, kv leader node%d%n", runDir, leader);
            return task.run(cluster, signed, leader);
        } finally {
            SignedCache.delete(runDir);
        }
    }

    private static ClosedLoop.Result logFailures(ClosedLoop.Result result, PrintStream log) {
        if (!result.failures().isEmpty()) {
            log.println("bench: failures " + result.failures());
        }
        return result;
    }

    private static void close(List<PipelinedCommanderConnection> connections) throws IOException {
        for (PipelinedCommanderConnection c : connections) {
            c.close();
        }
    }

    private static ClosedLoop.Result load(List<PipelinedCommanderConnection> connections, byte[][] signed, int from, int count,
                                          int clients) throws Exception {
        return ClosedLoop.run(count, clients, thread -> {
            PipelinedCommanderConnection connection = connections.get(thread % connections.size());
            return index -> outcome(connection.send(CommanderRequest.newBuilder()
                    .setSignedKvCommand(ByteString.copyFrom(signed[from + index]))).get(WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        });
    }

    private static String outcome(CommanderResponse response) throws IOException {
        if (response.hasError()) {
            return response.getError().getMessage();
        }
        KvReply reply = KvReply.parseFrom(response.getKvReply());
        return reply.getStatus() == KvReply.Status.OK && !reply.getDuplicate() ? null : reply.getStatus() + " " + reply.getMessage();
    }

    /** Connections spread over every node but {@code excluded} (or to the leader only). */
    private static List<PipelinedCommanderConnection> connect(LocalCluster cluster, Settings settings, int leader, int excluded)
            throws IOException {
        List<Integer> nodes = IntStream.range(0, cluster.size()).filter(i -> i != excluded).boxed().toList();
        List<PipelinedCommanderConnection> connections = new ArrayList<>();
        for (int i = 0; i < settings.connections(); i++) {
            int node = settings.leaderOnly() ? leader : nodes.get(i % nodes.size());
            connections.add(PipelinedCommanderConnection.connect(cluster.roster().server(node).commander().toSocketAddress()));
        }
        return connections;
    }

    /** The index of the node that node0 names as the key-value application's leader. */
    static int kvLeader(LocalCluster cluster) throws InterruptedException, IOException {
        int[] found = {-1};
        LocalCluster.await(START_MS_MAX, () -> {
            found[0] = cluster.state(0).map(WriteBench::kvLeaderName)
                    .flatMap(name -> cluster.roster().serverByName(name)).map(s -> s.index()).orElse(-1);
            return found[0] >= 0;
        });
        if (found[0] < 0) {
            throw new IOException("no key-value leader known");
        }
        return found[0];
    }

    private static String kvLeaderName(String stateJson) {
        JsonObject app = kvApp(stateJson);
        return app != null && app.has("leader") ? app.get("leader").getAsString() : "";
    }

    private static long kvStateNdx(String stateJson) {
        JsonObject app = kvApp(stateJson);
        return app != null ? Long.parseLong(app.get("stateNdx").getAsString()) : -1;
    }

    private static JsonObject kvApp(String stateJson) {
        for (JsonElement app : JsonParser.parseString(stateJson).getAsJsonObject().getAsJsonArray("apps")) {
            JsonObject a = app.getAsJsonObject();
            if (a.get("appNdx").getAsInt() == org.paxosdns.server.kv.KvCodec.KV_APP_NDX) {
                return a;
            }
        }
        return null;
    }

    /** The load average, as {@code uptime} shows it. */
    public static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + "," + f[1] + "," + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
