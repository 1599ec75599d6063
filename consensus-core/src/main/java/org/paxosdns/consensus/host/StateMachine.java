package org.paxosdns.consensus.host;

/**
 * The replicated application a {@link Replica} drives. Called by one thread at a time (whichever
 * holds the replica's engine), with chosen commands in slot order, each exactly once per
 * incarnation of the state.
 */
public interface StateMachine {
    /** Applies one command; deterministic. Returns the reply for the proposer. */
    byte[] apply(long slot, byte[] command);

    /** The whole state, serialized. */
    byte[] snapshot();

    /** Replaces the whole state with a snapshot made by {@link #snapshot()} on any replica. */
    void restore(byte[] snapshot);

    /**
     * True when what {@link #apply} shows the world must never go back after this replica crashes
     * (the zone versions a server answers DNS with): the replica then makes a slot's chosen mark
     * durable before it applies the slot, at the cost of a force on the write's path. False, the
     * default, applies a chosen slot before its mark is forced: the slot is durable on a majority
     * already, and a restarted replica learns it again from its peers, but until then it is behind
     * what it applied before the crash.
     */
    default boolean visibleAcrossCrashes() {
        return false;
    }
}
