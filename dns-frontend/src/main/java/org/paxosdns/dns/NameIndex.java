package org.paxosdns.dns;

import java.util.Arrays;

/**
 * Domain names as uncompressed wire-format bytes packed into one array, each found by a
 * case-insensitive open-addressing hash. Ids are dense and given in insertion order. A zone of
 * a million names costs a few tens of MB here, where a {@code HashMap<Name, …>} of dnsjava
 * names costs several times that (and dnsjava's {@code Name.hashCode} collides often on
 * names like {@code host123}).
 */
final class NameIndex {
    private static final int emptySlot = 0;

    private byte[] arena;
    private int arenaBytes;
    private int[] starts;
    /** Name {@code id}'s hash: probes compare it before the bytes, and growth re-inserts without re-hashing. */
    private int[] hashes;
    private int count;
    private int[] slots;

    NameIndex(int expectedNames) {
        arena = new byte[Math.max(64, expectedNames * 16)];
        starts = new int[Math.max(16, expectedNames)];
        hashes = new int[starts.length];
        slots = new int[tableSize(expectedNames)];
    }

    private static int tableSize(int names) {
        return Integer.highestOneBit(Math.max(16, names) * 2 - 1) << 1;
    }

    /** How many names the index holds. */
    int size() {
        return count;
    }

    /** The array holding every name; name {@code id} starts at {@link #start(int)}. */
    byte[] arena() {
        return arena;
    }

    int start(int id) {
        return starts[id];
    }

    /** The id of the wire name starting at {@code wire[offset]} (any case), or -1. */
    int find(byte[] wire, int offset) {
        int length = wireLength(wire, offset);
        return find(wire, offset, length, hash(wire, offset, length));
    }

    private int find(byte[] wire, int offset, int length, int hash) {
        int mask = slots.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            int entry = slots[slot];
            if (entry == emptySlot) {
                return -1;
            }
            int id = entry - 1;
            if (hashes[id] == hash && equalsIgnoreCase(arena, starts[id], wire, offset, length)) {
                return id;
            }
        }
    }

    /** The id of the name at {@code wire[offset]}, added (in its case as given) when absent. */
    int add(byte[] wire, int offset) {
        int length = wireLength(wire, offset);
        int hash = hash(wire, offset, length);
        int found = find(wire, offset, length, hash);
        if (found >= 0) {
            return found;
        }
        if (arenaBytes + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaBytes + length));
        }
        System.arraycopy(wire, offset, arena, arenaBytes, length);
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            hashes = Arrays.copyOf(hashes, count * 2);
        }
        starts[count] = arenaBytes;
        hashes[count] = hash;
        arenaBytes += length;
        int id = count++;
        if (count * 2 > slots.length) {
            rehash(slots.length * 2);
        } else {
            insert(id);
        }
        return id;
    }

    /** Drops the spare capacity left by growth, once no more names will be added. */
    void trim() {
        arena = Arrays.copyOf(arena, arenaBytes);
        starts = Arrays.copyOf(starts, count);
        hashes = Arrays.copyOf(hashes, count);
    }

    private void rehash(int size) {
        slots = new int[size];
        for (int id = 0; id < count; id++) {
            insert(id);
        }
    }

    private void insert(int id) {
        int mask = slots.length - 1;
        int slot = hashes[id] & mask;
        while (slots[slot] != emptySlot) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = id + 1;
    }

    /** Bytes of the uncompressed wire name at {@code offset}, its root label included. */
    static int wireLength(byte[] wire, int offset) {
        int p = offset;
        while (wire[p] != 0) {
            p += (wire[p] & 0xFF) + 1;
        }
        return p - offset + 1;
    }

    private static int hash(byte[] wire, int offset, int length) {
        int h = 0x811C9DC5;
        for (int i = offset; i < offset + length; i++) {
            h = (h ^ lower(wire[i])) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        return h ^ (h >>> 13);
    }

    private static boolean equalsIgnoreCase(byte[] a, int aOffset, byte[] b, int bOffset, int length) {
        for (int i = 0; i < length; i++) {
            if (lower(a[aOffset + i]) != lower(b[bOffset + i])) {
                return false;
            }
        }
        return true;
    }

    /** ASCII lower case; label length bytes are below 64 and never change. */
    static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }
}
