package org.paxosdns.comms;

import org.paxosdns.proto.PeerErrorCode;

/**
 * A peer broke the protocol: the connection answers with {@link #code()} and closes. Only
 * that one connection is affected.
 */
final class PeerProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final PeerErrorCode code;

    PeerProtocolException(PeerErrorCode code, String description) {
        super(description);
        this.code = code;
    }

    PeerErrorCode code() {
        return code;
    }
}
