package org.paxosdns.consensus.host;

import java.nio.file.Path;

/**
 * How to run one replica: which application and node it is, where its data lives, its timing, how
 * often it snapshots, the seed of its election-timeout randomness, and whether its data directory
 * is known to hold complete durable state ({@code bootstrapped}: the server passes true when the
 * marker written by {@code cluster init} is present, false otherwise, so a node whose disk was
 * wiped does not vote until it has caught up). The replica keeps its files in
 * {@code dataDir/paxos-app-<appNdx>/}.
 */
public record ReplicaConfig(int appNdx, int selfIndex, int clusterSize, Path dataDir, long tickMs,
        int heartbeatTicks, int electionTicksMin, int electionTicksMax, long snapshotEverySlots, long randomSeed,
        boolean bootstrapped) {

    public ReplicaConfig {
        if (tickMs < 1 || snapshotEverySlots < 1) {
            throw new IllegalArgumentException("tickMs and snapshotEverySlots must be positive");
        }
    }

    /**
     * Production defaults: 50 ms ticks, heartbeats every 2 ticks, elections after 20 to 40 silent
     * ticks (1 to 2 s, as etcd's default), a snapshot every 10,000 slots, a seed drawn from the
     * clock. With 0.5 to 1 s, five node processes on a loaded 2-core machine held spurious
     * elections (chaos runs); a crashed leader is replaced sooner than the timeout anyway, since
     * its closed connections reach {@link Replica#peerLost}.
     */
    public static ReplicaConfig defaults(int appNdx, int selfIndex, int clusterSize, Path dataDir, boolean bootstrapped) {
        return new ReplicaConfig(appNdx, selfIndex, clusterSize, dataDir, 50, 2, 20, 40, 10_000,
                System.nanoTime() * 31 + selfIndex, bootstrapped);
    }

    /** The directory holding this application's log segments and snapshots. */
    public Path appDir() {
        return dataDir.resolve("paxos-app-" + appNdx);
    }
}
