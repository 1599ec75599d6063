package org.paxosdns.consensus;

/** A read-only view of an engine's state, for status pages and tests. */
public record EngineStatus(Role role, int leaderIndex, Ballot promised, long chosenThrough,
        long appliedThrough, long snapshotSlot, boolean voter, int pendingCommands) { }
