package org.paxosdns.server.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a chaos run saw, recorded from many threads: every client operation, every kill of a
 * leader, and the SOA serials each node's DNS answered (checked on the fly for going back).
 */
public final class ChaosHistory {
    /**
     * A leader killed on purpose or by chance, at {@code nanos} (System.nanoTime); {@code alone}
     * when no other fault was on at that moment (every other node up, every link whole).
     */
    public record LeaderKill(long nanos, String node, boolean alone) {}

    private final List<Operation> operations = new ArrayList<>();
    private final List<LeaderKill> leaderKills = new ArrayList<>();
    private final Map<String, Long> highestServed = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final AtomicInteger wentBack = new AtomicInteger();
    private volatile String firstWentBack = "";

    public int nextId() {
        return nextId.getAndIncrement();
    }

    public synchronized void record(Operation op) {
        operations.add(op);
    }

    public synchronized List<Operation> operations() {
        return List.copyOf(operations);
    }

    public synchronized void leaderKilled(long nanos, String node, boolean alone) {
        leaderKills.add(new LeaderKill(nanos, node, alone));
    }

    public synchronized List<LeaderKill> leaderKills() {
        return List.copyOf(leaderKills);
    }

    /** Notes that {@code node} answered {@code serial} for {@code zone}; counts it if the node answered a newer one before. */
    public void served(String node, String zone, long serial) {
        String key = node + " " + zone;
        long[] before = {-1};
        highestServed.compute(key, (k, highest) -> {
            before[0] = highest == null ? -1 : highest;
            return highest == null ? serial : Math.max(highest, serial);
        });
        if (before[0] > serial) {
            if (wentBack.getAndIncrement() == 0) {
                firstWentBack = node + " answered serial " + serial + " for " + zone + " after " + before[0];
            }
        }
    }

    /** Answers older than one the same node gave before. */
    public int servedOlder() {
        return wentBack.get();
    }

    public String firstServedOlder() {
        return firstWentBack;
    }
}
