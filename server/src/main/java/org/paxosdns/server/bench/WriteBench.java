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
    /** How long one write may take before the bench counts it failed, in milliseconds. */
    static final long WRITE_TIMEOUT_MS = 30_000;

    /** What to run: {@code target} "all" spreads connections over every node, "leader" uses the leader only. */
    public record Settings(Path dir, int nodes, int commands, int warmup, int clients, int connections, int valueBytes,
                           int rsaBits, boolean leaderOnly) {}

    private WriteBench() {
    }

    /**
     * Runs warm-up and timed loads against a fresh cluster copied from the template in
     * {@code settings.dir()} (made by {@code cluster init} on first use, never started itself), so
     * the commands signed for it, cached there, stay valid run after run; returns the timed run.
     */
    public static ClosedLoop.Result run(Settings settings, PrintStream log) throws Exception {
        LocalCluster template = LocalCluster.prepare(settings.dir(), settings.nodes(), LocalCluster.freeBasePort(settings.nodes()),
                settings.rsaBits());
        byte[][] signed = SignedCache.load(template, settings.warmup() + settings.commands(), settings.valueBytes(), log);
        Path runDir = java.nio.file.Files.createTempDirectory("paxosdns-bench-run-");
        SignedCache.copyCluster(settings.dir(), runDir);
        try (LocalCluster cluster = LocalCluster.prepare(runDir, settings.nodes(), 0, settings.rsaBits())) {
            cluster.startAll();
            if (!LocalCluster.await(START_MS_MAX, () -> IntStream.range(0, cluster.size()).allMatch(cluster::healthy))) {
                throw new IOException("the cluster did not become healthy:\n" + cluster.logTail(0, 20));
            }
            int leader = kvLeader(cluster);
            log.printf("bench: cluster up in %s, kv leader node%d%n", runDir, leader);
            List<PipelinedCommanderConnection> connections = connect(cluster, settings, leader);
            try {
                ClosedLoop.Result warm = load(connections, signed, 0, settings.warmup(), settings.clients());
                log.println("bench: warm-up " + warm.figures() + " " + warm.failures());
                ClosedLoop.Result timed = load(connections, signed, settings.warmup(), settings.commands(), settings.clients());
                if (!timed.failures().isEmpty()) {
                    log.println("bench: failures " + timed.failures());
                }
                return timed;
            } finally {
                for (PipelinedCommanderConnection c : connections) {
                    c.close();
                }
            }
        } finally {
            SignedCache.delete(runDir);
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

    private static List<PipelinedCommanderConnection> connect(LocalCluster cluster, Settings settings, int leader) throws IOException {
        List<PipelinedCommanderConnection> connections = new ArrayList<>();
        for (int i = 0; i < settings.connections(); i++) {
            int node = settings.leaderOnly() ? leader : i % cluster.size();
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
        for (JsonElement app : JsonParser.parseString(stateJson).getAsJsonObject().getAsJsonArray("apps")) {
            JsonObject a = app.getAsJsonObject();
            if (a.get("appNdx").getAsInt() == org.paxosdns.server.kv.KvCodec.KV_APP_NDX && a.has("leader")) {
                return a.get("leader").getAsString();
            }
        }
        return "";
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
