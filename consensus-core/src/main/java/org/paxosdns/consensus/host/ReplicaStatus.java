package org.paxosdns.consensus.host;

import org.paxosdns.consensus.Ballot;
import org.paxosdns.consensus.Role;

/**
 * A replica's state for status pages and metrics. {@code leaderIndex} is -1 when no leader is
 * known; {@code fatalError} is null unless the replica stopped (e.g. an fsync failed).
 */
public record ReplicaStatus(Role role, int leaderIndex, long appliedSlot, long chosenSlot, Ballot ballot,
        boolean voter, long droppedMessages, long droppedCommands, long decodeErrors, long fsyncs,
        long proposalsTimedOut, long snapshotsTaken, String fatalError) { }
