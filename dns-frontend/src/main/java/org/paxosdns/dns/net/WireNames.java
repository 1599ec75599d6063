package org.paxosdns.dns.net;

/**
 * Reads names in an encoded DNS message without building objects: skips them and hashes them
 * case-insensitively, following compression pointers. Every read is bounds-checked; a
 * malformed message gives -1 (skip) or a hash of what could be read, never an exception.
 */
final class WireNames {
    /** Pointers followed in one name; more means a loop. */
    static final int pointersMax = 64;
    private static final int headerBytes = 12;
    private static final int fixedRecordBytes = 10;
    private static final int pointerBits = 0xC0;

    private WireNames() {
    }

    /** The offset just after the name at {@code at}, or -1 when it runs off the message. */
    static int skipName(byte[] m, int at) {
        while (at >= 0 && at < m.length) {
            int len = m[at] & 0xFF;
            if ((len & pointerBits) == pointerBits) {
                return at + 2 <= m.length ? at + 2 : -1;
            }
            if (len == 0) {
                return at + 1;
            }
            at += len + 1;
        }
        return -1;
    }

    /** The offset of the first record after the question, or -1. */
    static int afterQuestion(byte[] m) {
        int at = headerBytes;
        for (int i = u16(m, 4); i > 0 && at >= 0; i--) {
            at = skipName(m, at);
            at = at < 0 || at + 4 > m.length ? -1 : at + 4;
        }
        return at;
    }

    /** The offset of the record after the one at {@code at}, or -1. */
    static int skipRecord(byte[] m, int at) {
        at = skipName(m, at);
        if (at < 0 || at + fixedRecordBytes > m.length) {
            return -1;
        }
        return at + fixedRecordBytes + u16(m, at + 8);
    }

    /** A case-insensitive 64-bit hash of the name at {@code at}. */
    static long hashName(byte[] m, int at) {
        long h = 0x9E3779B97F4A7C15L;
        for (int pointers = 0; at >= 0 && at < m.length && pointers <= pointersMax; ) {
            int len = m[at] & 0xFF;
            if ((len & pointerBits) == pointerBits) {
                if (at + 1 >= m.length) {
                    break;
                }
                at = ((len & ~pointerBits) << 8) | (m[at + 1] & 0xFF);
                pointers++;
                continue;
            }
            h = (h ^ len) * 0x100000001B3L;
            if (len == 0) {
                break;
            }
            for (int i = at + 1; i <= at + len && i < m.length; i++) {
                int b = m[i] & 0xFF;
                h = (h ^ (b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b)) * 0x100000001B3L;
            }
            at += len + 1;
        }
        return h;
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }
}
