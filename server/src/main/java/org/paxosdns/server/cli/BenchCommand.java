package org.paxosdns.server.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.paxosdns.server.bench.EtcdLoad;
import org.paxosdns.server.bench.PublishBench;
import org.paxosdns.server.bench.WriteBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code paxosdns bench}: benchmarks of the write path (not run by the build). Progress goes
 * to standard error; each prints its figures as the last line on standard output, with the
 * load average at the end of the run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks of the write path, and DNS latency percentiles.",
        subcommands = {BenchCommand.Log.class, BenchCommand.Latency.class, BenchCommand.CatchUp.class,
                BenchCommand.Etcd.class, BenchCommand.Publish.class, SnapshotBenchCommand.class,
                DnsLatencyBenchCommand.class})
public final class BenchCommand {
    /** Options shared by the paxosdns benchmarks. */
    static final class ClusterOptions {
        @Option(names = "--nodes", defaultValue = "3", description = "Cluster size (default ${DEFAULT-VALUE}).")
        int nodes;
        @Option(names = "--rsa-bits", defaultValue = "2048", description = "RSA key size of the new cluster (default ${DEFAULT-VALUE}).")
        int rsaBits;
        @Option(names = "--value-bytes", defaultValue = "256", description = "Value size (default ${DEFAULT-VALUE}).")
        int valueBytes;
        @Option(names = "--dir", description = "Template of the cluster: roster, keys and signed commands, kept for later runs; "
                + "each run copies it (default: paxosdns-bench-<nodes>n-<rsaBits>-16c in the temporary directory).")
        Path dir;

        Path dir() {
            return dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"), "paxosdns-bench-" + nodes + "n-" + rsaBits + "-16c");
        }
    }

    /** The address in a {@code host:port} option (the port after the last colon). */
    static InetSocketAddress hostPort(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("host:port expected, got " + hostPort);
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** Throughput: many clients writing at once. */
    @Command(name = "log", mixinStandardHelpOptions = true, description = "Committed writes/s with many concurrent clients.")
    static final class Log implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ClusterOptions cluster = new ClusterOptions();
        @Option(names = "--commands", defaultValue = "100000", description = "Timed writes (default ${DEFAULT-VALUE}).")
        int commands;
        /*
         * 600,000: the steady state a server runs in. After 10,000 writes the mesh's AES-GCM still
         * ran as Java code; after 40,000 or 60,000 the nodes' one C2 thread took a third of the
         * machine's CPU in the timed window; after 100,000 it still compiled the engine's loop
         * (Replica.round, which only the engine thread calls, compiled 20-45 s into the load):
         * 106 us of node CPU per write after 100,000, 86-92 after 300,000, 80-83 after 600,000.
         * `bench etcd` warms up as long, so both clients and both servers are measured warm.
         */
        @Option(names = "--warmup", defaultValue = "600000", description = "Warm-up writes (default ${DEFAULT-VALUE}).")
        int warmup;
        @Option(names = "--clients", defaultValue = "256", description = "Client threads, one write each in flight (default ${DEFAULT-VALUE}).")
        int clients;
        @Option(names = "--connections", defaultValue = "24", description = "Commander connections, pipelined (default ${DEFAULT-VALUE}).")
        int connections;
        @Option(names = "--leader-only", description = "Connect to the leader only (default: spread over every node).")
        boolean leaderOnly;

        @Override
        public Integer call() throws Exception {
            var settings = new WriteBench.Settings(cluster.dir(), cluster.nodes, commands, warmup, clients, connections,
                    cluster.valueBytes, cluster.rsaBits, leaderOnly);
            var r = WriteBench.run(settings, System.err);
            System.out.printf("bench log: paxosdns nodes=%d clients=%d connections=%d commands=%d valueBytes=%d %s load=%s%n",
                    cluster.nodes, clients, connections, commands, cluster.valueBytes, r.figures(), WriteBench.loadAverage());
            return r.failed() == 0 ? 0 : 1;
        }
    }

    /** Latency at low load: one client, one write at a time, to the leader. */
    @Command(name = "latency", mixinStandardHelpOptions = true, description = "One client, one write at a time: latency.")
    static final class Latency implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ClusterOptions cluster = new ClusterOptions();
        @Option(names = "--commands", defaultValue = "5000", description = "Timed writes (default ${DEFAULT-VALUE}).")
        int commands;
        // 30,000: with a few thousand the nodes' C2 compiler still works through the timed window
        // (two thirds of their CPU, p50 1.0 ms instead of 0.6 ms); a serving node is warm.
        @Option(names = "--warmup", defaultValue = "30000", description = "Warm-up writes (default ${DEFAULT-VALUE}).")
        int warmup;

        @Override
        public Integer call() throws Exception {
            var settings = new WriteBench.Settings(cluster.dir(), cluster.nodes, commands, warmup, 1, 1, cluster.valueBytes,
                    cluster.rsaBits, true);
            var r = WriteBench.run(settings, System.err);
            System.out.printf("bench latency: paxosdns nodes=%d clients=1 commands=%d valueBytes=%d %s load=%s%n",
                    cluster.nodes, commands, cluster.valueBytes, r.figures(), WriteBench.loadAverage());
            return r.failed() == 0 ? 0 : 1;
        }
    }

    /** Catch-up: a follower stopped while writes go on, then restarted. */
    @Command(name = "catchup", mixinStandardHelpOptions = true,
            description = "A follower stopped while commands are written, then restarted: time until it serves the latest stateNdx.")
    static final class CatchUp implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ClusterOptions cluster = new ClusterOptions();
        @Option(names = "--commands", defaultValue = "100000", description = "Writes while the follower is down (default ${DEFAULT-VALUE}).")
        int commands;
        @Option(names = "--clients", defaultValue = "256", description = "Client threads (default ${DEFAULT-VALUE}).")
        int clients;

        @Override
        public Integer call() throws Exception {
            var settings = new WriteBench.Settings(cluster.dir(), cluster.nodes, commands, 0, clients, 16, cluster.valueBytes,
                    cluster.rsaBits, true);
            var r = WriteBench.catchUp(settings, System.err);
            System.out.printf(java.util.Locale.ROOT, "bench catchup: paxosdns nodes=%d commands=%d valueBytes=%d stateNdx=%d "
                            + "restart_to_healthy_s=%.2f restart_to_stateNdx_s=%.2f writes(%s) load=%s%n",
                    cluster.nodes, commands, cluster.valueBytes, r.stateNdx(), r.healthySeconds(), r.caughtUpSeconds(),
                    r.writes().figures(), WriteBench.loadAverage());
            return Double.isNaN(r.caughtUpSeconds()) ? 1 : 0;
        }
    }

    /** The same load against a running etcd cluster (see bench/etcd.sh). */
    @Command(name = "etcd", mixinStandardHelpOptions = true, description = "Puts against etcd's v3 JSON gateway.")
    static final class Etcd implements Callable<Integer> {
        @Option(names = "--endpoints", required = true, split = ",", description = "host:port of every member's client URL.")
        List<String> endpoints;
        @Option(names = "--commands", defaultValue = "100000", description = "Timed writes (default ${DEFAULT-VALUE}).")
        int commands;
        /* As long as `bench log`'s warm-up (this client is Java too, and etcd's caches fill). */
        @Option(names = "--warmup", defaultValue = "600000", description = "Warm-up writes (default ${DEFAULT-VALUE}).")
        int warmup;
        @Option(names = "--clients", defaultValue = "256", description = "Client threads, each its own connection (default ${DEFAULT-VALUE}).")
        int clients;
        @Option(names = "--value-bytes", defaultValue = "256", description = "Value size (default ${DEFAULT-VALUE}).")
        int valueBytes;
        @Option(names = "--member-pids", split = ",", description = "Process IDs of the members, for their CPU per write.")
        List<Long> memberPids = List.of();

        @Override
        public Integer call() throws Exception {
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (String e : endpoints) {
                addresses.add(hostPort(e));
            }
            var r = EtcdLoad.run(addresses, commands, warmup, clients, valueBytes, memberPids, System.err);
            if (!r.failures().isEmpty()) {
                System.err.println("bench: failures " + r.failures());
            }
            System.out.printf("bench etcd: members=%d clients=%d commands=%d valueBytes=%d %s load=%s%n",
                    addresses.size(), clients, commands, valueBytes, r.figures(), WriteBench.loadAverage());
            return r.failed() == 0 ? 0 : 1;
        }
    }

    /** Zone publishes by many commanders at once, and their propagation to every node's DNS answers. */
    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Signed PutZone of ~1 KiB zone files by concurrent commanders: publishes/s, latency, propagation.")
    static final class Publish implements Callable<Integer> {
        @Option(names = "--nodes", defaultValue = "3", description = "Cluster size (default ${DEFAULT-VALUE}).")
        int nodes;
        @Option(names = "--commanders", defaultValue = "16", description = "Commanders, each its own key and zone (default ${DEFAULT-VALUE}).")
        int commanders;
        @Option(names = "--publishes", defaultValue = "100", description = "Publishes per commander in the throughput window (default ${DEFAULT-VALUE}).")
        int publishes;
        @Option(names = "--propagation-publishes", defaultValue = "50",
                description = "Publishes per commander in the propagation window (default ${DEFAULT-VALUE}).")
        int propagationPublishes;
        @Option(names = "--warmup", defaultValue = "30", description = "Warm-up publishes per commander (default ${DEFAULT-VALUE}).")
        int warmup;
        @Option(names = "--rsa-bits", defaultValue = "2048", description = "RSA key size (default ${DEFAULT-VALUE}).")
        int rsaBits;
        @Option(names = "--dir", description = "Cluster directory, kept after the run (default: a temporary one, deleted).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            var settings = new PublishBench.Settings(dir, nodes, commanders, publishes, propagationPublishes, warmup, rsaBits);
            List<PublishBench.Result> r = PublishBench.run(settings, System.err);
            for (PublishBench.Result window : r) {
                if (!window.failures().isEmpty()) {
                    System.err.println("bench: failures " + window.failures());
                }
            }
            System.out.printf("bench publish: paxosdns nodes=%d commanders=%d zoneBytes=%d throughput(%s) propagation(%s) load=%s%n",
                    nodes, commanders, PublishBench.ZONE_FILE_BYTES, r.get(0).figures(), r.get(1).figures(), WriteBench.loadAverage());
            return r.get(0).failed() + r.get(1).failed() == 0 ? 0 : 1;
        }
    }
}
