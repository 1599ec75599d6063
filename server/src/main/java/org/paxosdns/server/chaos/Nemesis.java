package org.paxosdns.server.chaos;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.paxosdns.server.kv.KvCodec;
import org.paxosdns.server.process.LocalCluster;

/**
 * Carries out a nemesis schedule on a live cluster: real signals to node processes, faults on
 * the proxies of the {@link ChaosNetwork}. A kill aimed at "the leader" finds the key-value
 * application's leader when it starts; a kill or pause whose node is already down is skipped.
 * Every kill of the then leader is noted in the history, for the failover figures.
 */
public final class Nemesis implements AutoCloseable {
    /**
     * A leader kill counts as alone (for the failover figures) when no other fault is on and
     * none ended within this many milliseconds: a link that was just restored may still be
     * reconnecting (a handshake whose reply was black-holed waits out its timeout).
     */
    public static final long QUIET_BEFORE_KILL_MS = 6_000;
    /** How long an isolated kill waits for the new leader's first acknowledged write, in milliseconds. */
    public static final long FAILOVER_WAIT_MS_MAX = 15_000;
    /** How long a restarted node may take to be healthy again, in milliseconds. */
    public static final long RESTART_MS_MAX = 60_000;

    private final LocalCluster cluster;
    private final ChaosNetwork network;
    private final ChaosHistory history;
    private final PrintStream log;
    private final long startNanos;
    /** Per node, how it is down: "" (up), "killed" or "paused". */
    private final String[] down;
    private final Map<Fault, Integer> targets = new IdentityHashMap<>();
    private final LeaderTracker leaders;
    private long lastFaultEndNanos;
    private final java.util.Set<Fault> activeNetworkFaults = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private int leaderKills;

    public Nemesis(LocalCluster cluster, ChaosNetwork network, ChaosHistory history, PrintStream log) {
        this.cluster = cluster;
        this.network = network;
        this.history = history;
        this.log = log;
        this.startNanos = System.nanoTime();
        this.down = new String[cluster.size()];
        java.util.Arrays.fill(down, "");
        this.leaders = new LeaderTracker(cluster);
    }

    private record Step(long atMs, int order, Fault fault, boolean start) {}

    /** Runs the faults that start before {@code endMs}, ending each on time; returns at {@code endMs}. */
    public void run(List<Fault> faults, long endMs) throws InterruptedException {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            steps.add(new Step(f.atMs(), 2 * i, f, true));
            steps.add(new Step(f.atMs() + f.forMs(), 2 * i + 1, f, false));
        }
        steps.sort(Comparator.comparingLong(Step::atMs).thenComparingInt(Step::order));
        for (Step step : steps) {
            if (step.atMs() >= endMs) {
                break;
            }
            sleepUntil(step.atMs());
            try {
                if (step.start()) {
                    begin(step.fault());
                } else {
                    end(step.fault());
                }
            } catch (IOException e) {
                say("fault action failed: " + e.getMessage());
            }
        }
        sleepUntil(endMs);
    }

    /** Ends every fault: heals every link, resumes paused nodes, starts killed ones. */
    public void healAll() throws InterruptedException {
        network.healAll();
        for (int n = 0; n < down.length; n++) {
            try {
                if (down[n].equals("paused")) {
                    cluster.node(n).resume();
                } else if (!cluster.node(n).isAlive()) {
                    cluster.node(n).start(); // killed, or exited on its own (its log says why)
                }
            } catch (IOException e) {
                say("cannot bring " + cluster.node(n).name() + " back: " + e.getMessage());
            }
            down[n] = "";
        }
        say("healed everything");
    }

    /**
     * Kills the leader {@code count} times with nothing else going on, each after a quiet
     * {@value #QUIET_BEFORE_KILL_MS} ms with every node healthy, waits until a client's write
     * is acknowledged, and restarts it: failover measured alone, on top of the schedule's kills.
     */
    public void isolatedLeaderKills(int count) throws IOException, InterruptedException {
        for (int i = 0; i < count; i++) {
            if (!LocalCluster.await(RESTART_MS_MAX, () -> java.util.stream.IntStream.range(0, cluster.size()).allMatch(cluster::healthy))) {
                say("skip isolated kill: not every node is healthy");
                return;
            }
            Thread.sleep(QUIET_BEFORE_KILL_MS); // the quiet time that makes the kill "alone"
            Optional<Integer> leader = leaders.leader();
            if (leader.isEmpty()) {
                say("skip isolated kill: no leader known");
                continue;
            }
            int target = leader.get();
            int acknowledgedBefore = history.operations().size();
            long now = System.nanoTime();
            cluster.node(target).kill();
            history.leaderKilled(now, cluster.node(target).name(), true);
            leaderKills++;
            say("SIGKILL " + cluster.node(target).name() + " (the leader, alone)");
            LocalCluster.await(FAILOVER_WAIT_MS_MAX, () -> history.operations().stream().skip(acknowledgedBefore)
                    .anyMatch(o -> o.outcome() == Operation.Outcome.OK && o.kind() != Operation.Kind.GET && o.invokeNanos() >= now));
            cluster.node(target).start();
            say("restart " + cluster.node(target).name());
        }
    }

    /** Stops tracking the leader. */
    @Override
    public void close() {
        leaders.close();
    }

    public int leaderKills() {
        return leaderKills;
    }

    private void begin(Fault fault) throws IOException, InterruptedException {
        if (fault instanceof Fault.Kill k) {
            int leader = leaders.leader().filter(l -> down[l].isEmpty()).orElse(-1);
            int target = k.node() == Fault.Kill.LEADER ? leader : k.node();
            if (target < 0 || !down[target].isEmpty()) {
                say("skip kill of " + (target < 0 ? "the leader (none known)" : cluster.node(target).name() + " (down)"));
                return;
            }
            targets.put(fault, target);
            down[target] = "killed";
            long now = System.nanoTime();
            cluster.node(target).kill();
            if (target == leader) {
                leaderKills++;
                boolean alone = activeNetworkFaults.isEmpty() && now - lastFaultEndNanos >= QUIET_BEFORE_KILL_MS * 1_000_000
                        && java.util.stream.IntStream.range(0, down.length).allMatch(n -> n == target || down[n].isEmpty());
                history.leaderKilled(now, cluster.node(target).name(), alone);
            }
            say("SIGKILL " + cluster.node(target).name() + (target == leader ? " (the leader)" : "") + " for " + k.forMs() + " ms"
                    + (activeNetworkFaults.isEmpty() ? "" : "; network faults on: " + activeNetworkFaults.size()));
        } else if (fault instanceof Fault.Pause p) {
            if (!down[p.node()].isEmpty()) {
                say("skip pause of " + cluster.node(p.node()).name() + " (down)");
                return;
            }
            targets.put(fault, p.node());
            down[p.node()] = "paused";
            cluster.node(p.node()).pause();
            say("SIGSTOP " + cluster.node(p.node()).name() + " for " + p.forMs() + " ms");
        } else {
            network(fault, true);
        }
    }

    private void end(Fault fault) throws IOException, InterruptedException {
        lastFaultEndNanos = System.nanoTime();
        Integer target = targets.remove(fault);
        if (fault instanceof Fault.Kill && target != null && down[target].equals("killed")) {
            cluster.node(target).start();
            down[target] = "";
            say("restart " + cluster.node(target).name());
        } else if (fault instanceof Fault.Pause && target != null && down[target].equals("paused")) {
            cluster.node(target).resume();
            down[target] = "";
            say("SIGCONT " + cluster.node(target).name());
        } else if (!(fault instanceof Fault.Kill) && !(fault instanceof Fault.Pause)) {
            network(fault, false);
        }
    }

    private void network(Fault fault, boolean on) {
        if (on) {
            activeNetworkFaults.add(fault);
        } else {
            activeNetworkFaults.remove(fault);
        }
        if (fault instanceof Fault.Partition p) {
            for (int a : p.side()) {
                for (int b = 0; b < network.nodes(); b++) {
                    if (!p.side().contains(b)) {
                        if (on) {
                            network.cut(a, b);
                        } else {
                            network.heal(a, b);
                        }
                    }
                }
            }
            say((on ? "partition " : "heal partition ") + names(p.side()) + " | rest");
        } else if (fault instanceof Fault.OneWay w) {
            network.blackhole(w.from(), w.to(), on);
            say((on ? "black-hole " : "restore ") + cluster.node(w.from()).name() + " -> " + cluster.node(w.to()).name());
        } else if (fault instanceof Fault.Delay d) {
            network.delay(d.a(), d.b(), on ? d.delayMs() : 0);
            say((on ? "delay " + d.delayMs() + " ms " : "undelay ") + cluster.node(d.a()).name() + " <-> " + cluster.node(d.b()).name());
        }
    }

    /** The leader name the key-value app reports in a {@code /v1/state} body. */
    static Optional<String> kvLeader(String stateJson) {
        for (JsonElement app : JsonParser.parseString(stateJson).getAsJsonObject().getAsJsonArray("apps")) {
            JsonObject o = app.getAsJsonObject();
            if (o.get("appNdx").getAsInt() == KvCodec.KV_APP_NDX && o.has("leader") && !o.get("leader").getAsString().isEmpty()) {
                return Optional.of(o.get("leader").getAsString());
            }
        }
        return Optional.empty();
    }

    private String names(java.util.Set<Integer> nodes) {
        return String.join(",", nodes.stream().map(n -> cluster.node(n).name()).toList());
    }

    private void sleepUntil(long atMs) throws InterruptedException {
        long waitMs = atMs - elapsedMs();
        if (waitMs > 0) {
            Thread.sleep(waitMs); // the schedule's clock: a fault starts at its time
        }
    }

    private long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private void say(String what) {
        log.printf("chaos: %7d ms %s %s%n", elapsedMs(), java.time.Instant.now(), what);
    }
}
