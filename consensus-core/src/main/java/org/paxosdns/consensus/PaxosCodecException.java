package org.paxosdns.consensus;

/** Bytes that are not a valid engine message or log record of a known format version. */
public final class PaxosCodecException extends Exception {
    private static final long serialVersionUID = 1L;

    public PaxosCodecException(String message) {
        super(message);
    }

    public PaxosCodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
