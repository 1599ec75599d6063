package org.paxosdns.consensus.wal;

/**
 * Writing or forcing the log failed. After a failed fsync the kernel may have dropped the dirty
 * pages, so retrying could report success for data that is gone: the node must stop instead.
 * Every later call on the log throws this too.
 */
public final class WalFatalError extends Error {
    private static final long serialVersionUID = 1L;

    public WalFatalError(String message, Throwable cause) {
        super(message, cause);
    }
}
