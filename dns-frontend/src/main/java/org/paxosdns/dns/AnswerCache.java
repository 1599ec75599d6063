package org.paxosdns.dns;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encoded answers in an eight-way set-associative table: each key hashes to a set of eight
 * adjacent slots, and a new answer takes a free slot of the set or replaces one of the eight.
 * Each slot's key hash sits beside it in an array of ints, so a probe reads no entry whose hash
 * differs. Keyed by
 * the lower-cased question name, the type and the response variant (size limit, EDNS, DO);
 * each entry records the zone version it was computed from (the {@link ZoneContent}
 * instance) and the {@link ZoneTable#generation()} it was computed at. While the table's
 * generation is unchanged the entry is valid without any zone lookup; after a change the
 * caller checks that the name's zone is still that version. A general-purpose cache was
 * measured first: its bookkeeping and dependent memory loads cost more than answering again.
 * Entries are immutable and published through final fields, so races only cause misses.
 */
final class AnswerCache {
    private static final VarHandle longs = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long lowBits = 0x0101_0101_0101_0101L;
    private static final long highBits = 0x8080_8080_8080_8080L;
    private static final long golden = 0x9E37_79B9_7F4A_7C15L;

    /**
     * Slots per set. Two ways missed 6.6% of lookups on the bench's 200,000-query mix (153,000
     * distinct questions in 524,288 slots: dnsperf cycles through the file, so three keys in one
     * pair evict each other every time), four ways 1.2%, eight 0.05% (a simulation of the mix).
     * Every miss also put a new entry into the table: a young object referenced from the old
     * generation's slot array, which the next young GC had to find and copy.
     */
    private static final int ways = 8;

    private final Entry[] slots;
    /** The {@link Entry#hash} of each slot's entry (0 while empty): no references, nothing for the GC to scan. */
    private final int[] hashes;
    private final int mask;

    /**
     * One cached answer and what it was computed from. The lower-cased name and the response
     * share one array ({@code nameBytes} bytes of name first) to save a dependent memory load.
     */
    record Entry(ZoneContent zone, long generation, int qtype, int variant, int hash, int nameBytes, byte[] nameAndResponse)
            implements CachedAnswer {
        private static final int questionOffset = SimpleQuery.questionOffset;
        private static final int rdBit = 0x01;
        private static final int cdBit = 0x10;

        @Override
        public int length() {
            return nameAndResponse.length - nameBytes;
        }

        @Override
        public void writeTo(ByteBuffer out, byte[] query) {
            int base = out.position();
            out.put(nameAndResponse, nameBytes, length());
            out.put(base, query[0]);
            out.put(base + 1, query[1]);
            out.put(base + 2, (byte) ((nameAndResponse[nameBytes + 2] & ~rdBit) | (query[2] & rdBit)));
            out.put(base + 3, (byte) ((nameAndResponse[nameBytes + 3] & ~cdBit) | (query[3] & cdBit)));
            out.put(base + questionOffset, query, questionOffset, nameBytes);
        }
    }

    /** A cache of at least {@code entriesMax} slots (rounded up to a power of two). */
    AnswerCache(int entriesMax) {
        int size = Math.max(ways, Integer.highestOneBit(Math.max(1, entriesMax - 1)) << 1);
        this.slots = new Entry[size];
        this.hashes = new int[size];
        this.mask = size - 1;
    }

    /**
     * A hash of the question, the name folded to lower case eight bytes at a time (the
     * profile's hot spot was a per-byte fold); equal for names that differ only in case.
     */
    static int hash(byte[] wire, int nameOffset, int nameBytes, int qtype, int variant) {
        long h = (qtype * 131L + variant) * golden;
        int i = 0;
        for (; i + Long.BYTES <= nameBytes; i += Long.BYTES) {
            h = Long.rotateLeft((h ^ lower8((long) longs.get(wire, nameOffset + i))) * golden, 29);
        }
        if (i < nameBytes) {
            h = Long.rotateLeft((h ^ lower8(tail(wire, nameOffset + i, nameBytes - i))) * golden, 29);
        }
        h ^= h >>> 32;
        h *= 0x85EBCA6BL;
        return (int) (h ^ (h >>> 29));
    }

    /** The last {@code bytes} (< 8) bytes at {@code from}, little-endian like {@link #longs}. */
    private static long tail(byte[] b, int from, int bytes) {
        long t = 0;
        for (int j = bytes - 1; j >= 0; j--) {
            t = (t << 8) | (b[from + j] & 0xFF);
        }
        return t;
    }

    /** Eight bytes with ASCII A-Z turned to a-z, all in one go (no branch per byte). */
    static long lower8(long w) {
        long x = w & ~highBits;
        long atLeastA = x + lowBits * (0x80 - 'A');
        long aboveZ = x + lowBits * (0x80 - 'Z' - 1);
        long upper = atLeastA & ~aboveZ & ~w & highBits;
        return w | (upper >>> 2);
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    /** The entry for this question, or null. */
    Entry get(int hash, byte[] wire, int nameOffset, int nameBytes, int qtype, int variant) {
        int first = hash & mask & ~(ways - 1);
        for (int slot = first; slot < first + ways; slot++) {
            if (hashes[slot] == hash) {
                Entry e = slots[slot]; // a racing put may have changed it since: matches checks it whole
                if (matches(e, hash, wire, nameOffset, nameBytes, qtype, variant)) {
                    return e;
                }
            }
        }
        return null;
    }

    private static boolean matches(Entry e, int hash, byte[] wire, int nameOffset, int nameBytes, int qtype, int variant) {
        if (e == null || e.hash != hash || e.qtype != qtype || e.variant != variant || e.nameBytes != nameBytes) {
            return false;
        }
        byte[] name = e.nameAndResponse;
        return java.util.Arrays.equals(name, 0, nameBytes, wire, nameOffset, nameOffset + nameBytes)
                || equalsFolded(name, wire, nameOffset, nameBytes);
    }

    /** Whether the query's name, folded to lower case, equals the stored (lower-case) one. */
    private static boolean equalsFolded(byte[] name, byte[] wire, int nameOffset, int nameBytes) {
        int i = 0;
        for (; i + Long.BYTES <= nameBytes; i += Long.BYTES) {
            if ((long) longs.get(name, i) != lower8((long) longs.get(wire, nameOffset + i))) {
                return false;
            }
        }
        return i == nameBytes || tail(name, i, nameBytes - i) == lower8(tail(wire, nameOffset + i, nameBytes - i));
    }

    /** Caches a copy of {@code response} for this question. */
    void put(int hash, ZoneContent zone, long generation, byte[] wire, int nameOffset, int nameBytes, int qtype,
             int variant, byte[] response) {
        byte[] data = new byte[nameBytes + response.length];
        for (int i = 0; i < nameBytes; i++) {
            data[i] = (byte) lower(wire[nameOffset + i]);
        }
        System.arraycopy(response, 0, data, nameBytes, response.length);
        int first = hash & mask & ~(ways - 1);
        int slot = replaceable(first, hash, data, nameBytes, qtype, variant);
        store(slot, new Entry(zone, generation, qtype, variant, hash, nameBytes, data));
    }

    /** Puts {@code entry} back with a newer table generation (its zone was found unchanged). */
    void refresh(Entry entry, long generation) {
        int first = entry.hash & mask & ~(ways - 1);
        int slot = replaceable(first, entry.hash, entry.nameAndResponse, entry.nameBytes, entry.qtype, entry.variant);
        store(slot, new Entry(entry.zone, generation, entry.qtype, entry.variant, entry.hash, entry.nameBytes,
                entry.nameAndResponse));
    }

    /** The entry first: a reader that sees the new hash with the old entry only misses. */
    private void store(int slot, Entry entry) {
        slots[slot] = entry;
        hashes[slot] = entry.hash;
    }

    /** The slot of the set that holds this key already, else a free one, else any. */
    private int replaceable(int first, int hash, byte[] name, int nameBytes, int qtype, int variant) {
        for (int slot = first; slot < first + ways; slot++) {
            Entry e = slots[slot];
            if (e == null || (hashes[slot] == hash && matches(e, hash, name, 0, nameBytes, qtype, variant))) {
                return slot;
            }
        }
        return first + (((hash >>> 30) ^ System.identityHashCode(name)) & (ways - 1));
    }
}
