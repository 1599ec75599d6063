package org.paxosdns.comms;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.paxosdns.identity.HostPort;
import org.paxosdns.identity.Roster;
import org.paxosdns.identity.TestKeys;

/**
 * Meshes of fixture servers on 127.0.0.1 with OS-chosen ports. The roster's addresses are
 * placeholders (the cluster ID does not cover addresses); nodes are started from the highest
 * index down, each dialing the already-bound higher nodes through dial overrides. A restarted
 * node binds its old port again so the lower nodes still find it.
 */
final class TestCluster implements AutoCloseable {
    static final int APP = 1;
    static final long KEEP_ALIVE_MS = 100;
    static final long DOWN_AFTER_MS = 1_500;

    final Roster roster;
    final Mesh[] meshes;
    final Collector[] collectors;
    final int[] ports;
    final Map<Integer, InetSocketAddress> overrides = new HashMap<>();
    private final UnaryOperator<MeshConfig> tuning;

    private TestCluster(int n, UnaryOperator<MeshConfig> tuning) {
        this.roster = TestKeys.roster(n, i -> new HostPort("127.0.0.1", 1));
        this.meshes = new Mesh[n];
        this.collectors = new Collector[n];
        this.ports = new int[n];
        this.tuning = tuning;
    }

    /** Starts every node of an {@code n}-server roster. */
    static TestCluster start(int n) throws InterruptedException {
        return start(n, Set.of(), c -> c);
    }

    /** Starts the nodes of an {@code n}-server roster except {@code absent}, with test timers. */
    static TestCluster start(int n, Set<Integer> absent, UnaryOperator<MeshConfig> tuning) throws InterruptedException {
        TestCluster cluster = new TestCluster(n, tuning);
        for (int i = n - 1; i >= 0; i--) {
            if (!absent.contains(i)) {
                cluster.startNode(i, 0);
            }
        }
        return cluster;
    }

    /** Test defaults: fast timers, generous handshake rate (all tests connect from 127.0.0.1). */
    MeshConfig config(int i, int port) {
        MeshConfig config = MeshConfig.defaults(roster, i, TestKeys.server(i), new InetSocketAddress("127.0.0.1", port))
                .withTimers(KEEP_ALIVE_MS, DOWN_AFTER_MS, 5_000, 20, 400)
                .withHandshakeRate(1_000, 1_000)
                .withRandomSeed(i)
                .withDialOverrides(overrides);
        return tuning.apply(config);
    }

    void startNode(int i, int port) throws InterruptedException {
        Mesh mesh = Mesh.start(config(i, port));
        collectors[i] = new Collector();
        mesh.register(APP, collectors[i]);
        meshes[i] = mesh;
        ports[i] = mesh.localPort();
        overrides.put(i, new InetSocketAddress("127.0.0.1", ports[i]));
    }

    /** Starts node {@code i} again on the port it had. */
    void restart(int i) throws InterruptedException {
        startNode(i, ports[i]);
    }

    void stop(int i) {
        meshes[i].close();
        meshes[i] = null;
    }

    InetSocketAddress address(int i) {
        return new InetSocketAddress("127.0.0.1", ports[i]);
    }

    void awaitFullMesh() {
        for (int i = 0; i < meshes.length; i++) {
            for (int j = 0; j < meshes.length; j++) {
                if (i != j && meshes[i] != null && meshes[j] != null) {
                    int a = i;
                    int b = j;
                    Await.until("node" + a + " sees node" + b + " up", () -> meshes[a].isUp(b));
                }
            }
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < meshes.length; i++) {
            if (meshes[i] != null) {
                stop(i);
            }
        }
    }
}
