package org.paxosdns.identity;

/** A key, key file or roster that cannot be used, with a message that says why and where. */
public final class IdentityException extends Exception {
    private static final long serialVersionUID = 1L;

    public IdentityException(String message) {
        super(message);
    }

    public IdentityException(String message, Throwable cause) {
        super(message, cause);
    }
}
