package org.paxosdns.server.kv;

/** A key-value command that breaks a rule (format, cluster, limits, signature); the message says which. */
public final class KvRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public KvRefusedException(String message) {
        super(message);
    }
}
