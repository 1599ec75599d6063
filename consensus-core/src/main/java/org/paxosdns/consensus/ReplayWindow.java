package org.paxosdns.consensus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers which forward sequence numbers one sender's recent incarnations (epochs) used, so a
 * duplicated or replayed {@link Message.Forward} is not proposed twice. Per epoch: the highest
 * number seen and a bitmap of the {@link #windowSize} below it (as IPsec's anti-replay window);
 * anything older than the window counts as seen.
 */
final class ReplayWindow {
    static final int windowSize = 64;
    static final int epochsMax = 4;

    private final Map<Long, long[]> byEpoch = new LinkedHashMap<>(epochsMax * 2, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, long[]> eldest) {
            return size() > epochsMax;
        }
    };

    /** Records {@code (epoch, seq)}; true the first time, false for a repeat or a too-old one. */
    boolean firstSeen(long epoch, long seq) {
        long[] state = byEpoch.computeIfAbsent(epoch, e -> new long[] {-1, 0});
        long highest = state[0];
        if (seq > highest) {
            long shift = seq - highest;
            state[1] = shift >= windowSize ? 1 : (state[1] << shift) | 1;
            state[0] = seq;
            return true;
        }
        long age = highest - seq;
        if (age >= windowSize || (state[1] & (1L << age)) != 0) {
            return false;
        }
        state[1] |= 1L << age;
        return true;
    }
}
