package org.paxosdns.zonestore.state;

import org.paxosdns.proto.CommandReply;

/**
 * A command the state machine has ruled on: its seq, the SHA3-256 of its command bytes and the
 * reply it got, returned again (marked duplicate) when the same command comes back.
 */
public record AppliedCommand(long seq, byte[] digest, CommandReply reply) {
    public AppliedCommand {
        digest = digest.clone();
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    boolean sameDigest(byte[] other) {
        return java.util.Arrays.equals(digest, other);
    }
}
