package org.paxosdns.consensus.wal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The segment file format, version 1 (all integers big-endian):
 * <pre>
 * header : magic "PAXOSWAL" (8) | version u32 = 1 | segment number u64 | crc32c of the previous 20 bytes u32
 * frame  : body length u32 | crc32c(body) u32 | body
 * body   : type u8 (1 record, 2 commit) | slot u64 | payload
 * commit payload: batch number u64 | offset of this frame in the file u64
 * </pre>
 * A batch is the records since the previous commit frame, made durable by one force.
 */
final class WalFormat {
    static final byte[] magic = "PAXOSWAL".getBytes(StandardCharsets.US_ASCII);
    static final int version = 1;
    static final int headerBytes = 8 + 4 + 8 + 4;
    static final int frameOverheadBytes = 4 + 4;
    static final int bodyPrefixBytes = 1 + 8;
    static final byte typeRecord = 1;
    static final byte typeCommit = 2;
    static final int commitPayloadBytes = 16;
    /** Bytes of one record's payload. */
    static final int recordBytesMax = 64 * 1024 * 1024;

    private WalFormat() {
    }

    static ByteBuffer header(long segmentNumber) {
        ByteBuffer b = ByteBuffer.allocate(headerBytes).put(magic).putInt(version).putLong(segmentNumber);
        b.putInt(crc(b.array(), 0, headerBytes - 4));
        return b.flip();
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** Appends one frame to {@code out} (which must have room). */
    static void putFrame(ByteBuffer out, byte type, long slot, byte[] payload) {
        int bodyLength = bodyPrefixBytes + payload.length;
        int start = out.position();
        out.putInt(bodyLength).putInt(0).put(type).putLong(slot).put(payload);
        int bodyStart = start + frameOverheadBytes;
        int crc = crc(out.array(), out.arrayOffset() + bodyStart, bodyLength);
        out.putInt(start + 4, crc);
    }

    static byte[] commitPayload(long batch, long offset) {
        return ByteBuffer.allocate(commitPayloadBytes).putLong(batch).putLong(offset).array();
    }
}
