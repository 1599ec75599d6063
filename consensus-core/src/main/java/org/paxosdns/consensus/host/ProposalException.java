package org.paxosdns.consensus.host;

/** A proposal that could not be replicated; {@link #reason()} says why. */
public final class ProposalException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a proposal failed. */
    public enum Reason {
        /** No leader is known right now: retry later. */
        NO_LEADER,
        /** A queue is full: retry later. */
        QUEUE_FULL,
        /** The command exceeds the engine's command size limit. */
        TOO_LARGE,
        /** Not applied within {@link Replica#proposalTimeoutMs}: the outcome is unknown. */
        TIMED_OUT,
        /** The replica is closed or stopped on a fatal error. */
        CLOSED
    }

    private final Reason reason;

    public ProposalException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
