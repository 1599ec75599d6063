package org.paxosdns.dns;

/**
 * Encoded answers, direct-mapped: each key hashes to one slot and a new answer replaces
 * whatever the slot held. Keyed by the zone version (the {@link ZoneContent} instance,
 * compared by identity), the lower-cased question name, the type and the response variant
 * (size limit, EDNS, DO). A general-purpose cache was measured first: its bookkeeping and
 * the five or six dependent memory loads of a lookup cost more than answering a query
 * again; a lookup here touches the slot, the entry and its two arrays. Entries are immutable
 * and published through final fields, so racing readers and writers only ever cause a miss.
 */
final class AnswerCache {
    private final Entry[] slots;
    private final int mask;

    private record Entry(ZoneContent zone, byte[] qnameLower, int qtype, int variant, int hash, byte[] response) { }

    /** A cache of at least {@code entriesMax} slots (rounded up to a power of two). */
    AnswerCache(int entriesMax) {
        int size = Integer.highestOneBit(Math.max(1, entriesMax - 1)) << 1;
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
        Entry e = slots[hash & mask];
        if (e == null || e.hash != hash || e.zone != zone || e.qtype != qtype || e.variant != variant
                || e.qnameLower.length != nameBytes) {
            return null;
        }
        for (int i = 0; i < nameBytes; i++) {
            if (e.qnameLower[i] != lower(wire[nameOffset + i])) {
                return null;
            }
        }
        return e.response;
    }

    /** Caches {@code response} (which the caller must not change afterwards) for this question. */
    void put(int hash, ZoneContent zone, byte[] wire, int nameOffset, int nameBytes, int qtype, int variant, byte[] response) {
        byte[] name = new byte[nameBytes];
        for (int i = 0; i < nameBytes; i++) {
            name[i] = (byte) lower(wire[nameOffset + i]);
        }
        slots[hash & mask] = new Entry(zone, name, qtype, variant, hash, response);
    }
}
