package org.paxosdns.server.kv;

import org.paxosdns.identity.Hashes;
import org.paxosdns.proto.KvCommand;

/**
 * A signed key-value command whose bytes decoded and whose fields keep every rule; the
 * signature is not yet checked (see {@link KvCodec#verify}).
 *
 * @param command     the decoded command
 * @param commandBytes the command's bytes exactly as signed
 * @param signature   the commander's signature over them
 */
public record DecodedKvCommand(KvCommand command, byte[] commandBytes, byte[] signature) {
    /**
     * SHA-256 of {@code commandBytes}: what the exactly-once window stores and compares (snapshot
     * format 2). Computed when asked, not at decoding: admission needs it only for a seq the
     * window already holds.
     */
    public byte[] digest() {
        return CommandDigests.sha256(commandBytes);
    }

    /** SHA3-256 of {@code commandBytes}: what window entries restored from a format-1 snapshot hold. */
    public byte[] legacyDigest() {
        return Hashes.sha3(commandBytes);
    }

    public String commanderId() {
        return command.getCommanderId();
    }

    public long seq() {
        return command.getSeq();
    }

    /** True for a get, which reads and changes nothing. */
    public boolean isRead() {
        return command.getOpCase() == KvCommand.OpCase.GET;
    }
}
