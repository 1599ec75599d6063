package org.paxosdns.consensus;

/**
 * The engine's limits, each enforced where the named thing grows. Sizes in bytes, counts in items,
 * times in ticks.
 */
public final class EngineLimits {
    /** Slots a leader may have proposed but not yet seen chosen. */
    public static final int outstandingSlotsMax = 64;
    /** Slots beyond its chosen prefix an acceptor stores; bounds a promise's size. */
    public static final int acceptAheadSlotsMax = 2 * outstandingSlotsMax;
    /** Commands in one slot's batch. */
    public static final int batchCommandsMax = 1024;
    /** Bytes of commands in one slot's batch. */
    public static final int batchBytesMax = 64 * 1024;
    /** Bytes of a single command. */
    public static final int commandBytesMax = 16 * 1024;
    /** Commands waiting at the leader for a slot, or at a follower to be forwarded. */
    public static final int pendingCommandsMax = 64 * 1024;
    /** Slots handed to the host for applying in one Ready. */
    public static final int applySlotsPerReadyMax = 1024;
    /** Chosen values in one catch-up reply. */
    public static final int catchupEntriesMax = 256;
    /**
     * Bytes of chosen values in one catch-up reply (one value may exceed it alone). Half the
     * mesh's 1 MiB message limit, so a reply with its encoding overhead always fits: a reply over
     * the transport's limit is dropped at every retry, and the lagging node never catches up.
     */
    public static final int catchupBytesMax = 512 * 1024;
    /** Bytes of snapshot in one chunk. */
    public static final int snapshotChunkBytesMax = 256 * 1024;
    /** Bytes of a whole snapshot a node accepts to assemble. */
    public static final long snapshotBytesMax = 1L << 30;
    /** Ticks before an unanswered catch-up request is sent again. */
    public static final int catchupRetryTicks = 3;
    /** Nodes in a cluster (ballots and vote sets assume it). */
    public static final int clusterSizeMax = 31;

    private EngineLimits() {
    }
}
