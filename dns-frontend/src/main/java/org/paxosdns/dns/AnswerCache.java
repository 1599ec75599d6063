package org.paxosdns.dns;

/**
 * Encoded answers in a two-way set-associative table: each key hashes to a pair of adjacent
 * slots, and a new answer takes a free slot of the pair or replaces one of the two. Keyed by the zone version (the {@link ZoneContent} instance,
 * compared by identity), the lower-cased question name, the type and the response variant
 * (size limit, EDNS, DO). A general-purpose cache was measured first: its bookkeeping and
 * the five or six dependent memory loads of a lookup cost more than answering a query
 * again; a lookup here touches the slot pair, the entry and its two arrays. Entries are immutable
 * and published through final fields, so racing readers and writers only ever cause a miss.
 */
final class AnswerCache {
    private final Entry[] slots;
    private final int mask;

    private record Entry(ZoneContent zone, byte[] qnameLower, int qtype, int variant, int hash, byte[] response) { }

    /** A cache of at least {@code entriesMax} slots (rounded up to a power of two). */
    AnswerCache(int entriesMax) {
        int size = Math.max(2, Integer.highestOneBit(Math.max(1, entriesMax - 1)) << 1);
        this.slots = new Entry[size];
        this.mask = size - 1;
    }

    static int hash(ZoneContent zone, byte[] wire, int nameOffset, int nameBytes, int qtype, int variant) {
        int h = System.identityHashCode(zone) * 31 + qtype * 131 + variant;
        for (int i = nameOffset; i < nameOffset + nameBytes; i++) {
            h = h * 31 + lower(wire[i]);
        }
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        return h ^ (h >>> 13);
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    /** The cached response for this question, or null. */
    byte[] get(int hash, ZoneContent zone, byte[] wire, int nameOffset, int nameBytes, int qtype, int variant) {
        int first = hash & mask & ~1;
        Entry e = slots[first];
        if (!matches(e, hash, zone, wire, nameOffset, nameBytes, qtype, variant)) {
            e = slots[first + 1];
            if (!matches(e, hash, zone, wire, nameOffset, nameBytes, qtype, variant)) {
                return null;
            }
        }
        return e.response;
    }

    private static boolean matches(Entry e, int hash, ZoneContent zone, byte[] wire, int nameOffset, int nameBytes,
                                   int qtype, int variant) {
        if (e == null || e.hash != hash || e.zone != zone || e.qtype != qtype || e.variant != variant
                || e.qnameLower.length != nameBytes) {
            return false;
        }
        for (int i = 0; i < nameBytes; i++) {
            if (e.qnameLower[i] != lower(wire[nameOffset + i])) {
                return false;
            }
        }
        return true;
    }

    /** Caches {@code response} (which the caller must not change afterwards) for this question. */
    void put(int hash, ZoneContent zone, byte[] wire, int nameOffset, int nameBytes, int qtype, int variant, byte[] response) {
        byte[] name = new byte[nameBytes];
        for (int i = 0; i < nameBytes; i++) {
            name[i] = (byte) lower(wire[nameOffset + i]);
        }
        int first = hash & mask & ~1;
        int slot = slots[first] == null ? first
                : slots[first + 1] == null ? first + 1
                : first + ((hash >>> 31) ^ (System.identityHashCode(response) & 1));
        slots[slot] = new Entry(zone, name, qtype, variant, hash, response);
    }
}
