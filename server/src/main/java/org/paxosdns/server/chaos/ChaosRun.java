package org.paxosdns.server.chaos;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.paxosdns.identity.CommanderKey;
import org.paxosdns.identity.HostPort;
import org.paxosdns.identity.Keys;
import org.paxosdns.server.config.NodeConfig;
import org.paxosdns.server.process.LocalCluster;

/**
 * One chaos run: a fresh cluster of node processes whose peer links all pass through
 * fault-injecting proxies, clients recording a history, the seeded nemesis for the run's
 * length, then heal, settle and check (linearizable, nothing acknowledged lost, converged,
 * monotonic DNS answers) and the failover figures.
 */
public final class ChaosRun {
    /** How long the cluster may take to become healthy at the start, in milliseconds. */
    public static final long START_MS_MAX = 120_000;
    /** How long the healed cluster may take to converge, in milliseconds. */
    public static final long SETTLE_MS_MAX = 120_000;
    /** Key-value clients and publishers per run. */
    public static final int KV_CLIENTS = 3;
    public static final int PUBLISHERS = 2;
    /** Leader kills with nothing else going on, after the schedule, for the failover figures. */
    public static final int ISOLATED_LEADER_KILLS = 3;

    /** What to run: the cluster size, the length of the nemesis, its seed, and where the cluster lives. */
    public record Settings(int nodes, int seconds, long seed, Path dir) {}

    private final Settings settings;
    private final PrintStream log;
    private final ChaosHistory history = new ChaosHistory();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private ChaosRun(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    /** Runs the whole thing; progress goes to {@code log}. */
    public static ChaosReport run(Settings settings, PrintStream log) throws Exception {
        return new ChaosRun(settings, log).run();
    }

    private ChaosReport run() throws Exception {
        LocalCluster cluster = LocalCluster.prepare(settings.dir(), settings.nodes(), LocalCluster.freeBasePort(settings.nodes()), Keys.RSA_BITS_MIN);
        try (ChaosNetwork network = ChaosNetwork.start(settings.nodes(), i -> cluster.roster().server(i).peer().toSocketAddress())) {
            dialThroughProxies(cluster, network);
            cluster.startAll();
            if (!LocalCluster.await(START_MS_MAX, () -> IntStream.range(0, cluster.size()).allMatch(cluster::healthy))) {
                throw new IOException("the cluster did not become healthy within " + START_MS_MAX + " ms:\n" + cluster.logTail(0, 20));
            }
            List<Fault> faults = NemesisSchedule.generate(settings.seed(), settings.nodes(), settings.seconds());
            log.println("chaos: " + faults.size() + " faults from seed " + settings.seed() + ", cluster in " + settings.dir());
            ChaosClients clients = new ChaosClients(cluster.roster(), CommanderKey.load(cluster.commanderKey(), cluster.roster()),
                    history, settings.seed());
            clients.start(KV_CLIENTS, PUBLISHERS);
            try (Nemesis nemesis = new Nemesis(cluster, network, history, log)) {
                nemesis.run(faults, settings.seconds() * 1_000L);
                nemesis.healAll();
                nemesis.isolatedLeaderKills(ISOLATED_LEADER_KILLS);
            }
            clients.stop();
            boolean converged = awaitConverged(cluster);
            clients.finalReads();
            return verdict(cluster, converged);
        } finally {
            cluster.close();
        }
    }

    /** Points every node's dials at the proxies: the lower index dials, so node i dials j > i. */
    private static void dialThroughProxies(LocalCluster cluster, ChaosNetwork network) throws Exception {
        for (int i = 0; i < cluster.size(); i++) {
            Path file = cluster.dir().resolve(cluster.roster().server(i).name()).resolve("node.conf");
            NodeConfig c = NodeConfig.read(file);
            Map<String, HostPort> dial = new TreeMap<>();
            for (int j = i + 1; j < cluster.size(); j++) {
                InetSocketAddress a = network.dialAddress(i, j);
                dial.put(cluster.roster().server(j).name(), new HostPort(a.getAddress().getHostAddress(), a.getPort()));
            }
            new NodeConfig(c.name(), c.cluster(), c.keys(), c.data(), c.dns(), c.peer(), c.commander(), c.ops(), dial, c.extra())
                    .write(file);
        }
    }

    /** Waits until every node answers and reports the same stateNdx and digest for every application. */
    private boolean awaitConverged(LocalCluster cluster) throws InterruptedException {
        long start = System.nanoTime();
        boolean converged = LocalCluster.await(SETTLE_MS_MAX, () -> {
            List<Optional<String>> apps = IntStream.range(0, cluster.size()).mapToObj(n -> cluster.state(n).map(ChaosRun::apps)).toList();
            return apps.stream().allMatch(Optional::isPresent) && apps.stream().map(Optional::get).distinct().count() == 1;
        });
        log.printf("chaos: %s after %d ms of settling%n", converged ? "converged" : "NOT converged",
                (System.nanoTime() - start) / 1_000_000);
        for (int n = 0; n < cluster.size(); n++) {
            log.println("chaos: " + cluster.roster().server(n).name() + " " + cluster.state(n).map(ChaosRun::apps).orElse("(no answer)"));
        }
        return converged;
    }

    /** The apps list of a {@code /v1/state} body as "appNdx:stateNdx:digest ...". */
    static String apps(String stateJson) {
        StringBuilder out = new StringBuilder();
        for (JsonElement app : JsonParser.parseString(stateJson).getAsJsonObject().getAsJsonArray("apps")) {
            JsonObject o = app.getAsJsonObject();
            out.append(o.get("appNdx").getAsInt()).append(':').append(o.get("stateNdx").getAsString()).append(':')
                    .append(o.get("digest").getAsString(), 0, 16).append(' ');
        }
        return out.toString().trim();
    }

    private ChaosReport verdict(LocalCluster cluster, boolean converged) throws IOException, InterruptedException {
        Map<String, Long> finalSerials = finalSerials(cluster);
        List<Operation> ops = new ArrayList<>(history.operations());
        long after = System.nanoTime();
        finalSerials.forEach((zone, serial) -> ops.add(new Operation(history.nextId(), -2, Operation.Kind.GET,
                ChaosClients.zoneKey(zone), null, null, after, after, Operation.Outcome.OK, serial == null ? null : serial.toString())));
        int lost = lost(ops, finalSerials);
        LinearizabilityChecker.Result lin = LinearizabilityChecker.check(ops);
        if (!lin.linearizable()) {
            log.println("chaos: NOT linearizable: " + lin.detail());
        }
        if (history.servedOlder() > 0) {
            log.println("chaos: DNS went back " + history.servedOlder() + " times; first: " + history.firstServedOlder());
        }
        List<Long> failovers = Failover.samplesMs(ops, history.leaderKills(), true);
        log.println("chaos: failover after each leader kill (ms, in order): " + Failover.samplesMs(ops, history.leaderKills(), false)
                + "; with no other fault on: " + failovers);
        int acknowledged = (int) ops.stream().filter(o -> o.outcome() == Operation.Outcome.OK).count();
        int unknown = (int) ops.stream().filter(o -> o.outcome() == Operation.Outcome.UNKNOWN).count();
        return new ChaosReport(settings.nodes(), settings.seconds(), settings.seed(), ops.size(), acknowledged, unknown, lost,
                lin.linearizable(), converged, history.servedOlder() == 0, Failover.percentile(failovers, 50),
                Failover.percentile(failovers, 99), lin.detail());
    }

    /** Each publisher's zone and its serial in the converged state (null when the zone was never published). */
    private Map<String, Long> finalSerials(LocalCluster cluster) throws IOException, InterruptedException {
        Map<String, Long> serials = new HashMap<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            String zone = ChaosClients.zone(p);
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + cluster.roster().server(0).ops() + "/v1/zones/" + zone))
                    .timeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            serials.put(zone, r.statusCode() == 200
                    ? Long.parseLong(JsonParser.parseString(r.body()).getAsJsonObject().get("soaSerial").getAsString()) : null);
        }
        return serials;
    }

    /** Acknowledged publishes whose serial the final state neither holds nor supersedes. */
    private static int lost(List<Operation> ops, Map<String, Long> finalSerials) {
        int lost = 0;
        for (Map.Entry<String, Long> e : finalSerials.entrySet()) {
            String key = ChaosClients.zoneKey(e.getKey());
            long finalSerial = e.getValue() == null ? 0 : e.getValue();
            lost += (int) ops.stream().filter(o -> o.key().equals(key) && o.kind() == Operation.Kind.PUT
                    && o.outcome() == Operation.Outcome.OK && Long.parseLong(o.value()) > finalSerial).count();
        }
        return lost;
    }
}
