package org.paxosdns.consensus;

import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * A whole cluster of engines driven in one thread from one seed: a lossy, duplicating, reordering,
 * delaying network with partitions (also one-way), crashes and restarts, batches lost before their
 * fsync, and wiped disks. Phase one is chaos; phase two heals everything and requires every
 * command ever proposed to reach every replica before a deadline. Time is in units; a node ticks
 * every {@link #tickUnits}. Every message must fit {@link EngineLimits#messageBytesMax}.
 *
 * <p>The large-tail workload makes every command {@link EngineLimits#commandBytesMax} bytes (four
 * fill a batch) and adds one fault: every link into the leader is cut while a burst of commands
 * reaches it, so its followers accept a long tail of full batches that nobody sees chosen, and then
 * the leader steps down or crashes. The next leader's phase 1 must read megabytes of promises.
 */
final class SimCluster {
    static final int tickUnits = 10;
    static final long chaosUnits = 4_000;
    static final long healDeadlineUnits = 6_000;
    static final int messageDelayUnitsMax = 15;
    static final int retryUnits = 400;
    static final long snapshotEverySlots = 25;
    static final int traceLinesMax = 400;
    /** Commands the large-tail fault sends the leader at once: enough for every outstanding slot. */
    static final int tailBurstCommands = EngineLimits.outstandingSlotsMax
            * (EngineLimits.batchBytesMax / EngineLimits.commandBytesMax);

    /** What one run found. */
    record Result(long seed, int nodes, long commandsApplied, List<String> violations, List<String> trace,
            Map<String, Long> events) { }

    private record Envelope(long at, long order, int from, int to, byte[] bytes) { }

    private final long seed;
    private final Random rng;
    private final Set<Fault> faults;
    private final boolean tracing;
    private final boolean largeTails;
    private int tailVictim = -1;
    private final SimNode[] nodes;
    private final SimChecker checker = new SimChecker();
    private final PriorityQueue<Envelope> network = new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private final boolean[][] cut;
    private final ArrayDeque<String> trace = new ArrayDeque<>();
    private final Map<Long, long[]> commands = new HashMap<>();
    private final Map<String, Long> events = new java.util.TreeMap<>();
    private final double dropRate;
    private final double duplicateRate;
    private final double crashRate;
    private final double tornSyncRate;
    private long now;
    private long order;
    private long nextLogical = 1;
    private long nextAttempt = 1;
    private long partitionEndsAt = -1;
    private boolean healed;

    SimCluster(long seed, int nodeCount, Set<Fault> faults, boolean tracing) {
        this(seed, nodeCount, faults, tracing, false);
    }

    SimCluster(long seed, int nodeCount, Set<Fault> faults, boolean tracing, boolean largeTails) {
        this.seed = seed;
        this.largeTails = largeTails;
        this.rng = new Random(seed);
        this.faults = faults.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(faults);
        this.tracing = tracing;
        this.nodes = new SimNode[nodeCount];
        this.cut = new boolean[nodeCount][nodeCount];
        this.dropRate = rng.nextDouble() * 0.2;
        this.duplicateRate = rng.nextDouble() * 0.1;
        this.crashRate = 0.0005 + rng.nextDouble() * 0.002;
        this.tornSyncRate = rng.nextDouble() * 0.01;
        for (int i = 0; i < nodeCount; i++) {
            nodes[i] = new SimNode(i, nodeCount, rng.nextInt(tickUnits));
            nodes[i].start(rng, this.faults);
        }
    }

    /** Runs chaos then healing; stops at the first violation. */
    Result run() {
        try {
            while (now < chaosUnits + healDeadlineUnits && checker.violations().isEmpty()) {
                step();
                if (healed && allApplied()) {
                    break;
                }
            }
            if (checker.violations().isEmpty() && !allApplied()) {
                checker.violation("liveness: not every proposed command applied everywhere "
                        + healDeadlineUnits + " units after healing; " + lagReport());
            }
        } catch (RuntimeException e) {
            checker.violation("engine invariant at t=" + now + ": " + e);
        }
        return new Result(seed, nodes.length, checker.commandsApplied(), checker.violations(), List.copyOf(trace),
                events);
    }

    private void step() {
        now++;
        if (!healed && now >= chaosUnits) {
            heal();
        }
        if (!healed) {
            injectFaults();
        }
        restartDue();
        clientActions();
        deliverDue();
        for (SimNode n : nodes) {
            if (n.up() && (now + n.tickPhase) % tickUnits == 0) {
                n.engine.tick();
            }
        }
        for (SimNode n : nodes) {
            processReady(n);
        }
    }

    // ---------------------------------------------------------------- faults

    private void injectFaults() {
        if (rng.nextDouble() < crashRate) {
            SimNode victim = nodes[rng.nextInt(nodes.length)];
            if (victim.up()) {
                victim.crash(now + 50 + rng.nextInt(800));
                count("crash");
                note("crash node " + victim.index + " until " + victim.downUntil);
            }
        }
        if (rng.nextDouble() < crashRate / 4) {
            maybeWipe(nodes[rng.nextInt(nodes.length)]);
        }
        if (largeTails && partitionEndsAt < 0 && rng.nextDouble() < 0.002) {
            cutRepliesToLeader();
        } else if (partitionEndsAt < 0 && rng.nextDouble() < 0.001) {
            partition();
        } else if (partitionEndsAt >= 0 && now >= partitionEndsAt) {
            clearCuts();
        }
    }

    /** Wipes a voter's disk, at most one node rejoining at a time. */
    private void maybeWipe(SimNode victim) {
        for (SimNode n : nodes) {
            if (!n.bootstrapped && (n.up() ? !n.engine.status().voter() : true)) {
                return;
            }
        }
        if (victim.up() && victim.engine.status().voter()) {
            victim.wipe(now + 50 + rng.nextInt(400));
            count("wipe");
            note("wipe node " + victim.index + " until " + victim.downUntil);
        }
    }

    private void partition() {
        int kind = rng.nextInt(3);
        int a = rng.nextInt(nodes.length);
        for (int from = 0; from < nodes.length; from++) {
            for (int to = 0; to < nodes.length; to++) {
                boolean involvesA = from == a || to == a;
                cut[from][to] = from != to && switch (kind) {
                    case 0 -> involvesA;
                    case 1 -> from == a;
                    default -> rng.nextDouble() < 0.3;
                };
            }
        }
        partitionEndsAt = now + 100 + rng.nextInt(1000);
        count("partition");
        note("partition kind " + kind + " around node " + a + " until " + partitionEndsAt);
    }

    /** The large-tail fault: the leader hears nobody while a burst of full batches reaches it. */
    private void cutRepliesToLeader() {
        SimNode leader = null;
        for (SimNode n : nodes) {
            if (n.up() && n.engine.status().role() == Role.LEADER) {
                leader = n;
            }
        }
        if (leader == null) {
            return;
        }
        for (int from = 0; from < nodes.length; from++) {
            cut[from][leader.index] = from != leader.index;
        }
        for (int i = 0; i < tailBurstCommands; i++) {
            long logical = nextLogical++;
            commands.put(logical, new long[] {now});
            proposeAt(leader, logical);
        }
        tailVictim = rng.nextBoolean() ? leader.index : -1;
        partitionEndsAt = now + 150 + rng.nextInt(300);
        count("tail-cut");
        note("cut every link into leader " + leader.index + " until " + partitionEndsAt);
    }

    private void clearCuts() {
        for (boolean[] row : cut) {
            java.util.Arrays.fill(row, false);
        }
        partitionEndsAt = -1;
        note("partition healed");
        if (tailVictim >= 0 && nodes[tailVictim].up()) {
            nodes[tailVictim].crash(now + 50 + rng.nextInt(300));
            note("crash node " + tailVictim + " (the leader with the long tail)");
        }
        tailVictim = -1;
    }

    private void heal() {
        healed = true;
        clearCuts();
        for (SimNode n : nodes) {
            n.downUntil = Math.min(n.downUntil, now);
        }
        note("heal: no more faults");
    }

    private void restartDue() {
        for (SimNode n : nodes) {
            if (!n.up() && now >= n.downUntil) {
                n.start(rng, faults);
                note("restart node " + n.index + (n.bootstrapped ? "" : " (wiped)"));
            }
        }
    }

    // ---------------------------------------------------------------- clients

    private void clientActions() {
        if (!healed && rng.nextDouble() < 0.05) {
            long logical = nextLogical++;
            commands.put(logical, new long[] {0});
            propose(logical);
        }
        if (now % 50 == 0) {
            for (Map.Entry<Long, long[]> e : commands.entrySet()) {
                if (now - e.getValue()[0] >= retryUnits && !appliedAnywhere(e.getKey())) {
                    propose(e.getKey());
                }
            }
        }
    }

    private void propose(long logical) {
        commands.get(logical)[0] = now;
        SimNode target = nodes[rng.nextInt(nodes.length)];
        if (target.up()) {
            proposeAt(target, logical);
        }
    }

    private void proposeAt(SimNode target, long logical) {
        long attempt = nextAttempt++;
        checker.proposed(attempt);
        int bytes = largeTails ? EngineLimits.commandBytesMax : 16;
        ProposeResult result = target.engine.propose(SimStateMachine.command(logical, attempt, bytes));
        note("propose cmd " + logical + "/" + attempt + " at node " + target.index + ": " + result);
    }

    private boolean appliedAnywhere(long logical) {
        for (SimNode n : nodes) {
            if (n.sm.hasLogical(logical)) {
                return true;
            }
        }
        return false;
    }

    private boolean allApplied() {
        for (SimNode n : nodes) {
            if (!n.up()) {
                return false;
            }
            for (Long logical : commands.keySet()) {
                if (!n.sm.hasLogical(logical)) {
                    return false;
                }
            }
        }
        return true;
    }

    private String lagReport() {
        StringBuilder sb = new StringBuilder();
        for (SimNode n : nodes) {
            sb.append(" node ").append(n.index).append(n.up() ? " " + n.engine.status() : " down")
                    .append(" sm@").append(n.sm.lastSlot());
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- network and host loop

    private void send(int from, Ready.Outbound out) {
        if (cut[from][out.to()] || (!healed && rng.nextDouble() < dropRate)) {
            return;
        }
        byte[] bytes = PaxosCodec.encode(SimNode.appNdx, out.message()); // throws beyond messageBytesMax
        int copies = !healed && rng.nextDouble() < duplicateRate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            network.add(new Envelope(now + 1 + rng.nextInt(messageDelayUnitsMax), order++, from, out.to(), bytes));
        }
    }

    private void deliverDue() {
        while (!network.isEmpty() && network.peek().at <= now) {
            Envelope e = network.poll();
            SimNode to = nodes[e.to];
            if (!to.up() || cut[e.from][e.to]) {
                continue;
            }
            Message message = decode(e.bytes);
            if (message instanceof Message.Promise p && p.resumeSlot() != 0) {
                count("promise-page-cut");
            }
            if (tracing) {
                note(e.from + "->" + e.to + " " + message);
            }
            to.engine.step(e.from, message);
        }
    }

    private Message decode(byte[] bytes) {
        try {
            PaxosCodec.Decoded decoded = PaxosCodec.decode(bytes);
            if (decoded.appNdx() != SimNode.appNdx) {
                throw new IllegalStateException("app index changed in transit");
            }
            return decoded.message();
        } catch (PaxosCodecException e) {
            throw new IllegalStateException("codec could not decode its own encoding", e);
        }
    }

    private void processReady(SimNode n) {
        while (n.up() && n.engine.hasReady()) {
            Ready rd = n.engine.ready();
            rd.sendNow().forEach(out -> send(n.index, out));
            if (rd.mustSync() && !healed && rng.nextDouble() < tornSyncRate) {
                n.crash(now + 20 + rng.nextInt(300));
                count("crash-before-fsync");
                note("node " + n.index + " crashed before its fsync of " + rd.persist().size() + " records");
                return;
            }
            n.synced.addAll(rd.persist());
            rd.sendAfterPersist().forEach(out -> send(n.index, out));
            if (rd.snapshot() != null) {
                installSnapshot(n, rd.snapshot());
            }
            for (Ready.Committed c : rd.committed()) {
                checker.onApply(n.index, n.sm, c.slot(), c.value());
            }
            n.engine.advance(rd);
            maybeSnapshot(n);
        }
    }

    private void installSnapshot(SimNode n, Snapshot snapshot) {
        n.sm = SimStateMachine.restore(snapshot.data());
        checker.onInstall(n.index, n.sm);
        n.saveSnapshot(snapshot);
        count("snapshot-install");
        note("node " + n.index + " installed snapshot at " + snapshot.lastSlot());
    }

    private void maybeSnapshot(SimNode n) {
        long last = n.diskSnapshot == null ? 0 : n.diskSnapshot.lastSlot();
        if (n.sm.lastSlot() - last >= snapshotEverySlots) {
            byte[] data = n.sm.snapshot();
            n.saveSnapshot(new Snapshot(SimNode.appNdx, n.sm.lastSlot(), data));
            n.engine.compact(n.sm.lastSlot(), data);
        }
    }

    private void count(String event) {
        events.merge(event, 1L, Long::sum);
    }

    private void note(String line) {
        if (!tracing) {
            return;
        }
        trace.addLast("t=" + now + " " + line);
        if (trace.size() > traceLinesMax) {
            trace.removeFirst();
        }
    }
}
