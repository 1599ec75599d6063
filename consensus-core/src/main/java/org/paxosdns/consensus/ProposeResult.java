package org.paxosdns.consensus;

/** What {@link PaxosEngine#propose(byte[])} did with a command. */
public enum ProposeResult {
    /** Queued at this node, the leader, for a slot. */
    QUEUED,
    /** Queued for forwarding to the leader this node knows. */
    FORWARDED,
    /** No leader is known: the caller should retry later. */
    NO_LEADER,
    /** Too many commands are waiting ({@link EngineLimits#pendingCommandsMax}). */
    QUEUE_FULL,
    /** The command exceeds {@link EngineLimits#commandBytesMax}. */
    TOO_LARGE
}
