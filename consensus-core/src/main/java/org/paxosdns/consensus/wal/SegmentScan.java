package org.paxosdns.consensus.wal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one segment file's bytes: the records of every batch closed by an intact commit frame,
 * where that prefix ends, and, if a frame is broken, whether an intact commit frame follows it
 * (then committed data is damaged; otherwise the damage is a torn, uncommitted tail).
 */
final class SegmentScan {
    final List<WalRecord> committed = new ArrayList<>();
    long committedEnd;
    long maxSlot;
    long lastBatch;
    long badOffset = -1;
    String badReason;
    boolean commitAfterDamage;

    private SegmentScan() {
    }

    static SegmentScan scan(Path file, byte[] bytes, long segmentNumber) throws CorruptLogException {
        SegmentScan s = new SegmentScan();
        checkHeader(file, bytes, segmentNumber);
        s.committedEnd = WalFormat.headerBytes;
        List<WalRecord> batch = new ArrayList<>();
        long batchMaxSlot = 0;
        int p = WalFormat.headerBytes;
        while (p < bytes.length) {
            String problem = frameProblem(bytes, p);
            if (problem != null) {
                s.badOffset = p;
                s.badReason = problem;
                s.commitAfterDamage = intactCommitAfter(bytes, p + 1);
                return s;
            }
            ByteBuffer body = ByteBuffer.wrap(bytes, p + WalFormat.frameOverheadBytes, bodyLength(bytes, p));
            byte type = body.get();
            long slot = body.getLong();
            int next = p + WalFormat.frameOverheadBytes + bodyLength(bytes, p);
            if (type == WalFormat.typeCommit) {
                s.committed.addAll(batch);
                s.maxSlot = Math.max(s.maxSlot, batchMaxSlot);
                s.lastBatch = body.getLong();
                batch.clear();
                s.committedEnd = next;
            } else {
                batch.add(new WalRecord(slot, Arrays.copyOfRange(bytes, body.position(), next)));
                batchMaxSlot = Math.max(batchMaxSlot, slot);
            }
            p = next;
        }
        return s;
    }

    static void checkHeader(Path file, byte[] bytes, long segmentNumber) throws CorruptLogException {
        if (bytes.length < WalFormat.headerBytes) {
            throw new CorruptLogException(file, 0, "segment shorter than its header");
        }
        ByteBuffer h = ByteBuffer.wrap(bytes, 0, WalFormat.headerBytes);
        byte[] magic = new byte[WalFormat.magic.length];
        h.get(magic);
        int version = h.getInt();
        long number = h.getLong();
        int crc = h.getInt();
        if (!Arrays.equals(magic, WalFormat.magic) || crc != WalFormat.crc(bytes, 0, WalFormat.headerBytes - 4)) {
            throw new CorruptLogException(file, 0, "bad segment header");
        }
        if (version != WalFormat.version) {
            throw new CorruptLogException(file, 8, "unknown log format version " + version);
        }
        if (number != segmentNumber) {
            throw new CorruptLogException(file, 12, "header names segment " + number);
        }
    }

    private static int bodyLength(byte[] bytes, int p) {
        return ByteBuffer.wrap(bytes, p, 4).getInt();
    }

    /** Null when a well-formed frame starts at p, else what is wrong with it. */
    private static String frameProblem(byte[] bytes, int p) {
        if (p + WalFormat.frameOverheadBytes + WalFormat.bodyPrefixBytes > bytes.length) {
            return "truncated frame";
        }
        int length = bodyLength(bytes, p);
        if (length < WalFormat.bodyPrefixBytes || length > WalFormat.recordBytesMax + WalFormat.bodyPrefixBytes
                || (long) p + WalFormat.frameOverheadBytes + length > bytes.length) {
            return "frame length " + length + " runs past the end";
        }
        int crc = ByteBuffer.wrap(bytes, p + 4, 4).getInt();
        if (crc != WalFormat.crc(bytes, p + WalFormat.frameOverheadBytes, length)) {
            return "checksum mismatch";
        }
        byte type = bytes[p + WalFormat.frameOverheadBytes];
        if (type == WalFormat.typeCommit) {
            return commitProblem(bytes, p, length);
        }
        return type == WalFormat.typeRecord ? null : "unknown frame type " + type;
    }

    private static String commitProblem(byte[] bytes, int p, int length) {
        if (length != WalFormat.bodyPrefixBytes + WalFormat.commitPayloadBytes) {
            return "commit frame of length " + length;
        }
        long offset = ByteBuffer.wrap(bytes, p + WalFormat.frameOverheadBytes + WalFormat.bodyPrefixBytes + 8, 8).getLong();
        return offset == p ? null : "commit frame claims offset " + offset;
    }

    /** True when some offset at or after {@code from} holds an intact commit frame naming that offset. */
    static boolean intactCommitAfter(byte[] bytes, int from) {
        int commitFrameBytes = WalFormat.frameOverheadBytes + WalFormat.bodyPrefixBytes + WalFormat.commitPayloadBytes;
        for (int q = from; q + commitFrameBytes <= bytes.length; q++) {
            if (bytes[q + WalFormat.frameOverheadBytes] == WalFormat.typeCommit && frameProblem(bytes, q) == null) {
                return true;
            }
        }
        return false;
    }
}
