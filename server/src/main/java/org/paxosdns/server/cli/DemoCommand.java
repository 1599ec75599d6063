package org.paxosdns.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.paxosdns.identity.CommanderKey;
import org.paxosdns.identity.Keys;
import org.paxosdns.identity.ServerEntry;
import org.paxosdns.server.client.Commander;
import org.paxosdns.server.client.DnsProbe;
import org.paxosdns.server.client.PublishOutcome;
import org.paxosdns.server.client.SeqFile;
import org.paxosdns.server.client.ZoneFiles;
import org.paxosdns.server.process.LocalCluster;
import org.paxosdns.zonestore.command.CommandBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code paxosdns demo}: a local cluster answering DNS. Initialises a cluster, starts each
 * node as its own process, publishes the zones (or a sample {@code example.test.}), waits
 * until every node serves them, prints commands to try and one {@code ready} line, and stops
 * every node on Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run a local cluster answering DNS on 127.0.0.1.")
public final class DemoCommand implements Callable<Integer> {
    /** How long the nodes get to start and elect a leader, in milliseconds. */
    static final long START_TIMEOUT_MS = 90_000;
    /** How long every node gets to serve the published zones, in milliseconds. */
    static final long SERVE_TIMEOUT_MS = 30_000;

    @Option(names = "--nodes", defaultValue = "3", description = "Number of nodes (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--base-port", defaultValue = "5300",
            description = "Node i: DNS on base+10i, peers +1, commanders +2, ops +3 (default ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--data-dir", description = "Cluster directory (default: a new temporary directory).")
    Path dataDir;

    @Option(names = "--zone", description = "Zone file to publish (repeatable; default: a sample example.test. zone).")
    List<Path> zoneFiles = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir != null ? dataDir : Files.createTempDirectory("paxosdns-demo-");
        String busy = busyPorts();
        if (!busy.isEmpty() && !Files.exists(dir.resolve("cluster.json"))) {
            System.err.println("demo: ports in use: " + busy + "; choose others with --base-port");
            return 1;
        }
        System.out.println("demo: cluster of " + nodes + " nodes in " + dir);
        LocalCluster cluster = LocalCluster.prepare(dir, nodes, basePort, Keys.RSA_BITS_DEFAULT);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cluster.close();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
        }, "demo-stop"));
        cluster.startAll();
        if (!LocalCluster.await(START_TIMEOUT_MS, () -> IntStream.range(0, cluster.size()).allMatch(cluster::healthy))) {
            return fail(cluster, "the nodes did not become healthy within " + START_TIMEOUT_MS + " ms");
        }
        Map<String, byte[]> zones = zones(dir);
        long stateNdx = publish(cluster, zones);
        if (stateNdx < 0) {
            return fail(cluster, "publishing failed");
        }
        if (!awaitServed(cluster, zones)) {
            return fail(cluster, "not every node served the zones within " + SERVE_TIMEOUT_MS + " ms");
        }
        printReady(cluster, zones, stateNdx);
        stopped.await();
        return 0;
    }

    private String busyPorts() {
        List<String> busy = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            for (int offset = 0; offset < 4; offset++) {
                int port = basePort + 10 * i + offset;
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress("127.0.0.1", port));
                } catch (IOException e) {
                    busy.add(Integer.toString(port));
                }
            }
        }
        return String.join(",", busy);
    }

    /** The zones to publish: the given files, or the sample zone with a serial from the clock. */
    private Map<String, byte[]> zones(Path dir) throws IOException {
        Map<String, byte[]> zones = new LinkedHashMap<>();
        if (zoneFiles.isEmpty()) {
            Path sample = dir.resolve("example.test.zone");
            try (InputStream in = DemoCommand.class.getResourceAsStream("/org/paxosdns/server/demo/example.test.zone")) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                // Seconds since the epoch: a later demo on the same directory always publishes a newer serial.
                Files.writeString(sample, text.replace("1          ; serial", (System.currentTimeMillis() / 1000) + " ; serial"));
            }
            zoneFiles = List.of(sample);
        }
        for (Path file : zoneFiles) {
            byte[] content = ZoneFiles.read(file);
            zones.put(ZoneFiles.fqdn(file, content), content);
        }
        return zones;
    }

    private static long publish(LocalCluster cluster, Map<String, byte[]> zones) throws Exception {
        Commander commander = new Commander(cluster.roster(), CommanderKey.load(cluster.commanderKey(), cluster.roster()),
                Commander.REQUEST_TIMEOUT_MS_DEFAULT);
        CommandBuilder builder = commander.builder();
        zones.forEach(builder::putZoneFile);
        PublishOutcome outcome = commander.execute(zones, builder.sign(new SeqFile(cluster.commanderKey()).next()));
        if (outcome instanceof PublishOutcome.Done done) {
            return done.reply().getStateNdx();
        }
        System.err.println("demo: publish: " + outcome);
        return -1;
    }

    private static boolean awaitServed(LocalCluster cluster, Map<String, byte[]> zones) throws InterruptedException {
        return LocalCluster.await(SERVE_TIMEOUT_MS, () -> zones.keySet().stream().allMatch(zone ->
                IntStream.range(0, cluster.size()).allMatch(i -> {
                    OptionalLong serial = DnsProbe.soaSerial(cluster.dnsAddress(i), zone, Duration.ofMillis(500));
                    return serial.isPresent();
                })));
    }

    private void printReady(LocalCluster cluster, Map<String, byte[]> zones, long stateNdx) {
        ServerEntry first = cluster.roster().server(0);
        String zone = zones.keySet().iterator().next();
        String zoneFile = zoneFiles.get(0).toAbsolutePath().toString();
        System.out.println();
        System.out.println("Every node serves " + String.join(" ", zones.keySet()) + " - try:");
        System.out.println("  dig @127.0.0.1 -p " + first.dns().port() + " " + (zone.equals("example.test.") ? "www.example.test A" : zone + " SOA"));
        System.out.println("  dig @127.0.0.1 -p " + cluster.roster().server(cluster.size() - 1).dns().port() + " +tcp " + zone + " SOA");
        System.out.println("  dig @127.0.0.1 -p " + first.dns().port() + " CH TXT statendx.server");
        System.out.println("  # raise the SOA serial in " + zoneFile + ", then:");
        System.out.println("  bin/paxosdns publish --cluster " + cluster.rosterFile() + " --key " + cluster.commanderKey() + " " + zoneFile);
        System.out.println("  bin/paxosdns status --cluster " + cluster.rosterFile());
        System.out.println("  curl -s http://" + first.ops() + "/v1/state");
        System.out.println("Ctrl-C stops every node.");
        String dns = cluster.roster().servers().stream().map(s -> s.dns().toString()).collect(Collectors.joining(","));
        String ops = cluster.roster().servers().stream().map(s -> s.ops().toString()).collect(Collectors.joining(","));
        System.out.println("ready nodes=" + cluster.size() + " dns=" + dns + " ops=" + ops + " dir=" + cluster.dir()
                + " stateNdx=" + Long.toUnsignedString(stateNdx));
        System.out.flush();
    }

    private static int fail(LocalCluster cluster, String why) throws InterruptedException {
        System.err.println("demo: " + why);
        for (int i = 0; i < cluster.size(); i++) {
            System.err.println("--- " + cluster.roster().server(i).name() + " log (last lines):\n" + cluster.logTail(i, 15));
        }
        cluster.close();
        return 1;
    }
}
