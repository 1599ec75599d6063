package org.paxosdns.consensus;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * One simulated server: an engine (absent while crashed), its disk (records synced so far and the
 * latest snapshot file) and its volatile state machine. Records handed to the disk but not yet
 * synced are lost by a crash, as the write-ahead log drops a batch without its commit marker.
 */
final class SimNode {
    static final int appNdx = 7;
    static final int heartbeatTicks = 2;
    static final int electionTicksMin = 10;
    static final int electionTicksMax = 20;

    final int index;
    final int clusterSize;
    final int tickPhase;
    PaxosEngine engine;
    SimStateMachine sm = new SimStateMachine();
    final List<Durable> synced = new ArrayList<>();
    Snapshot diskSnapshot;
    boolean bootstrapped = true;
    long downUntil;

    SimNode(int index, int clusterSize, int tickPhase) {
        this.index = index;
        this.clusterSize = clusterSize;
        this.tickPhase = tickPhase;
    }

    boolean up() {
        return engine != null;
    }

    /** Starts (or restarts) the engine from the disk; the state machine restarts from the snapshot. */
    void start(Random random, Set<Fault> faults) {
        EngineConfig cfg = new EngineConfig(appNdx, index, clusterSize, heartbeatTicks, electionTicksMin,
                electionTicksMax, bootstrapped);
        sm = diskSnapshot == null ? new SimStateMachine() : SimStateMachine.restore(diskSnapshot.data());
        engine = new PaxosEngine(cfg, DurableState.replay(diskSnapshot, synced), new Random(random.nextLong()), faults);
    }

    void crash(long until) {
        engine = null;
        downUntil = until;
    }

    /** Crash and lose the disk: the node restarts without the cluster-init marker. */
    void wipe(long until) {
        crash(until);
        synced.clear();
        diskSnapshot = null;
        bootstrapped = false;
    }

    void saveSnapshot(Snapshot snapshot) {
        diskSnapshot = snapshot;
        synced.removeIf(r -> r.slot() > 0 && r.slot() <= snapshot.lastSlot());
    }
}
