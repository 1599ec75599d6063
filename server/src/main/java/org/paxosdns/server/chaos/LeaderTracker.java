package org.paxosdns.server.chaos;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.paxosdns.server.process.LocalCluster;

/**
 * Keeps, per node, the key-value application's leader as that node last reported it, polling
 * every node's ops endpoint on its own thread, so the nemesis can strike the leader at once
 * instead of asking around when a fault is due (a paused node's poll hangs for its timeout).
 */
final class LeaderTracker implements AutoCloseable {
    /** Pause between two polls of one node, in milliseconds. */
    static final long POLL_MS = 100;
    /** A report older than this no longer counts, in milliseconds. */
    static final long FRESH_MS = 1_000;

    private record Report(String leader, long atNanos) {}

    private final LocalCluster cluster;
    private final AtomicReferenceArray<Report> reports;
    private volatile boolean running = true;

    LeaderTracker(LocalCluster cluster) {
        this.cluster = cluster;
        this.reports = new AtomicReferenceArray<>(cluster.size());
        for (int n = 0; n < cluster.size(); n++) {
            int node = n;
            Thread t = new Thread(() -> poll(node), "leader-tracker-" + n);
            t.setDaemon(true);
            t.start();
        }
    }

    private void poll(int node) {
        while (running) {
            cluster.state(node).flatMap(Nemesis::kvLeader).ifPresent(l -> reports.set(node, new Report(l, System.nanoTime())));
            try {
                Thread.sleep(POLL_MS); // polling interval
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The leader most fresh reports name. */
    Optional<Integer> leader() {
        Map<String, Integer> votes = new HashMap<>();
        long now = System.nanoTime();
        for (int n = 0; n < reports.length(); n++) {
            Report r = reports.get(n);
            if (r != null && now - r.atNanos() < FRESH_MS * 1_000_000) {
                votes.merge(r.leader(), 1, Integer::sum);
            }
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue())
                .flatMap(e -> cluster.roster().serverByName(e.getKey())).map(s -> s.index());
    }

    @Override
    public void close() {
        running = false;
    }
}
