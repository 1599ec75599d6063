package org.paxosdns.zonestore.command;

import org.paxosdns.proto.ZoneRefusal;

/**
 * A command or upload that cannot go further, with the refusal code and the message its
 * reply carries. Thrown by the decoding and checking steps, turned into a reply by their callers.
 */
public final class CommandRefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final ZoneRefusal refusal;

    public CommandRefusedException(ZoneRefusal refusal, String message) {
        super(message);
        this.refusal = refusal;
    }

    public ZoneRefusal refusal() {
        return refusal;
    }
}
