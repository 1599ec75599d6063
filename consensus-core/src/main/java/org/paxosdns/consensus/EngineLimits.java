package org.paxosdns.consensus;

/**
 * The engine's limits, each enforced where the named thing grows. Sizes in bytes, counts in items,
 * times in ticks.
 */
public final class EngineLimits {
    /** Slots a leader may have proposed but not yet seen chosen. */
    public static final int outstandingSlotsMax = 64;
    /** Slots beyond its chosen prefix an acceptor stores. */
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
    /**
     * Bytes of accepted values in one promise (one value may exceed it alone). An acceptor's
     * unchosen tail can hold {@value #acceptAheadSlotsMax} full batches (8 MiB and more), far too
     * much for one message: a promise reports its tail up to this many bytes and says where it
     * stopped, and the candidate asks for the rest before it proposes anything.
     */
    public static final int promiseBytesMax = 512 * 1024;
    /** Accepted slots reported in one promise. */
    public static final int promiseEntriesMax = 256;
    /**
     * Bytes of one encoded engine message. Every message kind stays below it by construction (a
     * batch, a catch-up reply or promise page of at most 512 KiB plus one value, a snapshot chunk),
     * and it is far below the mesh's 16 MiB AppMsg limit: a huge message holds up the link behind
     * it, and one the transport drops is dropped again at every retry, so whatever waits for it
     * (an election, a catch-up) never completes.
     */
    public static final int messageBytesMax = 1024 * 1024;
    /**
     * Catch-up replies (or snapshot chunks) a peer sends back to back for one request. The
     * requester asks for the next run as soon as the first reply of the current one arrives, so
     * one to two runs (up to 4 MiB) are in flight and catch-up streams instead of paying a round
     * trip per reply.
     */
    public static final int catchupRepliesPerRequestMax = 4;
    /** Slots beyond its chosen prefix a catching-up node keeps from replies that arrived early. */
    public static final int catchupAheadSlotsMax = 2 * catchupRepliesPerRequestMax * catchupEntriesMax;
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
