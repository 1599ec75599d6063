package org.paxosdns.server.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.paxosdns.identity.IdentityException;
import org.paxosdns.identity.Roster;
import org.paxosdns.identity.RosterFile;
import org.paxosdns.identity.ServerEntry;
import org.paxosdns.server.config.ClusterInit;

/**
 * A cluster of node processes on this machine, as {@code demo}, {@code chaos} and the
 * end-to-end tests run it: one OS process per node, each with its own log file, all stopped
 * together (and dying with this JVM, since each watches its standard input).
 */
public final class LocalCluster implements AutoCloseable {
    /** JVM options of every node process: a bounded heap, so five nodes fit beside the tests. */
    public static final List<String> NODE_JAVA_OPTIONS = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC");
    /** Environment variable with more JVM options for every node (space-separated; e.g. a JFR recording for a profile). */
    public static final String NODE_JAVA_OPTIONS_ENV = "PAXOSDNS_NODE_JAVA_OPTS";
    /** How long a poll of one node's ops endpoint may take, in milliseconds. */
    public static final long OPS_POLL_TIMEOUT_MS = 1_000;

    private final Path dir;
    private final Roster roster;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(OPS_POLL_TIMEOUT_MS)).build();

    private LocalCluster(Path dir, Roster roster, List<String> javaOptions) {
        this.dir = dir;
        this.roster = roster;
        for (ServerEntry s : roster.servers()) {
            Path nodeDir = dir.resolve(s.name());
            nodes.add(new NodeProcess(s.name(), nodeDir.resolve("node.conf"), nodeDir.resolve("node.log"),
                    nodeJavaOptions(javaOptions, s.name())));
        }
    }

    /** {@code base} and the options of {@link #NODE_JAVA_OPTIONS_ENV}, where {@code {node}} becomes the node's name. */
    private static List<String> nodeJavaOptions(List<String> base, String nodeName) {
        List<String> options = new ArrayList<>(base);
        String extra = System.getenv(NODE_JAVA_OPTIONS_ENV);
        if (extra != null) {
            for (String option : extra.trim().split("\\s+")) {
                if (!option.isEmpty()) {
                    options.add(option.replace("{node}", nodeName));
                }
            }
        }
        return options;
    }

    /** Uses the cluster in {@code dir}, creating it with {@code cluster init} when it has no roster yet. */
    public static LocalCluster prepare(Path dir, int size, int basePort, int rsaBits) throws IOException, IdentityException {
        return prepare(dir, size, basePort, rsaBits, List.of());
    }

    /** As {@link #prepare(Path, int, int, int)}, with more commanders in a new roster. */
    public static LocalCluster prepare(Path dir, int size, int basePort, int rsaBits,
                                       List<org.paxosdns.identity.CommanderEntry> moreCommanders)
            throws IOException, IdentityException {
        return prepare(dir, size, basePort, rsaBits, moreCommanders, NODE_JAVA_OPTIONS);
    }

    /**
     * As {@link #prepare(Path, int, int, int, List)}, the nodes run with {@code nodeJavaOptions}
     * instead of {@link #NODE_JAVA_OPTIONS}; the options of {@link #NODE_JAVA_OPTIONS_ENV} still follow them.
     */
    public static LocalCluster prepare(Path dir, int size, int basePort, int rsaBits,
                                       List<org.paxosdns.identity.CommanderEntry> moreCommanders, List<String> nodeJavaOptions)
            throws IOException, IdentityException {
        if (!Files.exists(dir.resolve(ClusterInit.ROSTER_FILE))) {
            ClusterInit.run(dir, size, "127.0.0.1", basePort, rsaBits, moreCommanders);
        }
        return new LocalCluster(dir, RosterFile.read(dir.resolve(ClusterInit.ROSTER_FILE)), nodeJavaOptions);
    }


    public Path dir() {
        return dir;
    }

    public Roster roster() {
        return roster;
    }

    public Path rosterFile() {
        return dir.resolve(ClusterInit.ROSTER_FILE);
    }

    public Path commanderKey() {
        return dir.resolve("commander").resolve("commander.key");
    }

    public NodeProcess node(int index) {
        return nodes.get(index);
    }

    public int size() {
        return nodes.size();
    }

    /** Starts every node process. */
    public void startAll() throws IOException {
        for (NodeProcess node : nodes) {
            node.start();
        }
    }

    /** True when the node's {@code /healthz} answers 200 (log replayed, quorate). */
    public boolean healthy(int index) {
        return get(index, "/healthz").map(r -> r.statusCode() == 200).orElse(false);
    }

    /** The node's {@code /v1/state} JSON, or empty when it does not answer. */
    public java.util.Optional<String> state(int index) {
        return get(index, "/v1/state").filter(r -> r.statusCode() == 200).map(HttpResponse::body);
    }

    /** The node's {@code /metrics} text, or empty when it does not answer. */
    public java.util.Optional<String> metrics(int index) {
        return get(index, "/metrics").filter(r -> r.statusCode() == 200).map(HttpResponse::body);
    }

    public InetSocketAddress dnsAddress(int index) {
        return roster.server(index).dns().toSocketAddress();
    }

    private java.util.Optional<HttpResponse<String>> get(int index, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + roster.server(index).ops() + path))
                    .timeout(Duration.ofMillis(OPS_POLL_TIMEOUT_MS)).build();
            return java.util.Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /**
     * A base port with {@code size} nodes' worth of free ports above it (base+10i .. base+10i+3,
     * TCP and UDP), for clusters whose roster names ports up front. Drawn in 10000..31999, below
     * Linux's ephemeral range (32768..60999), so no client socket can take a killed node's port
     * before it restarts (seen: a chaos run's restarted node failed to bind).
     */
    public static int freeBasePort(int size) {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 10_000 + 10 * random.nextInt(2_200);
            boolean free = true;
            for (int i = 0; i < size && free; i++) {
                for (int offset = 0; offset < 4 && free; offset++) {
                    free = bindable(base + 10 * i + offset);
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free range of ports found");
    }

    private static boolean bindable(int port) {
        try (java.net.ServerSocket tcp = new java.net.ServerSocket();
             java.net.DatagramSocket udp = new java.net.DatagramSocket(null)) {
            tcp.bind(new InetSocketAddress("127.0.0.1", port));
            udp.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Polls {@code condition} until it holds or {@code timeoutMs} passes; true when it held. */
    public static boolean await(long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50); // polling interval of a wait with a deadline, not a synchronisation
        }
        return condition.getAsBoolean();
    }

    /** The last lines of a node's log, for error messages. */
    public String logTail(int index, int lines) {
        try {
            List<String> all = Files.readAllLines(dir.resolve(roster.server(index).name()).resolve("node.log"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops every node: SIGTERM, a bounded wait, then SIGKILL. */
    @Override
    public void close() throws InterruptedException {
        for (NodeProcess node : nodes) {
            node.stop();
        }
    }
}
