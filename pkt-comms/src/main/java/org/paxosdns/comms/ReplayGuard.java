package org.paxosdns.comms;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Remembers the hash of every accepted Hello for as long as its timestamp keeps it acceptable
 * ({@code helloSkewMsMax}), so a captured Hello presented again is refused. Bounded: when full
 * of unexpired entries it refuses new Hellos rather than forget old ones.
 */
final class ReplayGuard {
    /** Most Hello hashes remembered at once. */
    static final int ENTRIES_MAX = 65_536;

    private record Entry(ByteBuffer hash, long expiresMs) {}

    private final long skewMsMax;
    private final Map<ByteBuffer, Long> seen = new HashMap<>();
    private final ArrayDeque<Entry> order = new ArrayDeque<>();

    ReplayGuard(long skewMsMax) {
        this.skewMsMax = skewMsMax;
    }

    enum Verdict { FRESH, REPLAYED, FULL }

    /** Records the Hello as seen unless it was seen before or the guard is full. */
    synchronized Verdict admit(byte[] helloHash, long helloTimeMs, long nowMs) {
        expire(nowMs);
        ByteBuffer key = ByteBuffer.wrap(helloHash.clone());
        if (seen.containsKey(key)) {
            return Verdict.REPLAYED;
        }
        if (seen.size() >= ENTRIES_MAX) {
            return Verdict.FULL;
        }
        long expires = helloTimeMs + skewMsMax;
        seen.put(key, expires);
        order.add(new Entry(key, expires));
        return Verdict.FRESH;
    }

    private void expire(long nowMs) {
        while (!order.isEmpty() && order.peekFirst().expiresMs() < nowMs) {
            seen.remove(order.pollFirst().hash());
        }
    }
}
