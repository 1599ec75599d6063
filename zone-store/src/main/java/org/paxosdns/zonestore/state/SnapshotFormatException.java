package org.paxosdns.zonestore.state;

/** Snapshot bytes that are not a state this code can restore; the message says what is wrong. */
public final class SnapshotFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public SnapshotFormatException(String message) {
        super(message);
    }
}
