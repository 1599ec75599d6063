package org.paxosdns.consensus.host;

import java.nio.ByteBuffer;

/**
 * How a replica wraps each proposed command inside the engine's opaque value, so that applying it
 * can be matched to the proposal: version u8 (1) | kind u8 | proposer node index u32 | proposal id
 * u64 | command. Kind {@link #kindBarrier} carries no command: it is the read barrier.
 */
record Envelope(int kind, int proposer, long id, byte[] command) {
    static final int version = 1;
    static final int kindCommand = 0;
    static final int kindBarrier = 1;
    static final int headerBytes = 1 + 1 + 4 + 8;

    byte[] encode() {
        return ByteBuffer.allocate(headerBytes + command.length).put((byte) version).put((byte) kind)
                .putInt(proposer).putLong(id).put(command).array();
    }

    /** The envelope in {@code bytes}, or null if they are not one (skipped identically everywhere). */
    static Envelope decode(byte[] bytes) {
        if (bytes.length < headerBytes || bytes[0] != version || (bytes[1] != kindCommand && bytes[1] != kindBarrier)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 2, bytes.length - 2);
        int proposer = b.getInt();
        long id = b.getLong();
        byte[] command = new byte[b.remaining()];
        b.get(command);
        return new Envelope(bytes[1], proposer, id, command);
    }
}
