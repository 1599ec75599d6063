package org.paxosdns.consensus.host;

/**
 * The replicated application a {@link Replica} drives. Called only from the replica's engine
 * thread, with chosen commands in slot order, each exactly once per incarnation of the state.
 */
public interface StateMachine {
    /** Applies one command; deterministic. Returns the reply for the proposer. */
    byte[] apply(long slot, byte[] command);

    /** The whole state, serialized. */
    byte[] snapshot();

    /** Replaces the whole state with a snapshot made by {@link #snapshot()} on any replica. */
    void restore(byte[] snapshot);
}
