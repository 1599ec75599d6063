package org.paxosdns.dns.net;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.function.LongSupplier;

/**
 * Response rate limiting for UDP (the idea of BIND's and Knot's RRL, simplified): each client
 * prefix (/24 IPv4, /56 IPv6) may receive {@link RateLimitConfig#responsesPerSecond()}
 * responses per second; beyond that responses are dropped, except every slip-th one, which is
 * replaced by an empty truncated answer so that a genuine client retries over TCP.
 */
final class RateLimiter {
    private static final int headerBytes = 12;
    private static final int tcFlag = 0x02;
    private static final long nanosPerSecond = 1_000_000_000L;

    private final RateLimitConfig config;
    private final LongSupplier nanoClock;
    private final Cache<Long, Window> windows;

    RateLimiter(RateLimitConfig config, LongSupplier nanoClock) {
        this.config = config;
        this.nanoClock = nanoClock;
        this.windows = Caffeine.newBuilder().maximumSize(RateLimitConfig.prefixesTrackedMax).build();
    }

    /** One prefix's count in the current one-second window. */
    private static final class Window {
        private long second = Long.MIN_VALUE;
        private int responses;
        private int limited;

        synchronized int admit(long now, int perSecond, int slip) {
            if (now != second) {
                second = now;
                responses = 0;
            }
            responses++;
            if (responses <= perSecond) {
                return 1;
            }
            limited++;
            return slip > 0 && limited % slip == 0 ? 0 : -1;
        }
    }

    /** {@code response} itself, a truncated stand-in for it (a slip), or null to drop it. */
    byte[] admit(InetAddress client, byte[] response) {
        if (!config.enabled()) {
            return response;
        }
        Window window = windows.get(prefix(client), k -> new Window());
        int verdict = window.admit(nanoClock.getAsLong() / nanosPerSecond, config.responsesPerSecond(), config.slip());
        if (verdict > 0) {
            return response;
        }
        return verdict == 0 ? truncated(response) : null;
    }

    static long prefix(InetAddress address) {
        byte[] b = address.getAddress();
        long key = address instanceof Inet4Address ? 4 : 6;
        int bytes = address instanceof Inet4Address ? 3 : 7;
        for (int i = 0; i < bytes; i++) {
            key = (key << 8) | (b[i] & 0xFF);
        }
        return key;
    }

    /** The header and question of {@code response}, TC set, no records. */
    static byte[] truncated(byte[] response) {
        int at = headerBytes;
        while (at < response.length && response[at] != 0 && (response[at] & 0xC0) == 0) {
            at += (response[at] & 0xFF) + 1;
        }
        int end = Math.min(response.length, at + 1 + 4);
        byte[] out = java.util.Arrays.copyOf(response, Math.max(end, headerBytes));
        out[2] |= tcFlag;
        boolean hasQuestion = end == at + 5;
        out[4] = 0;
        out[5] = (byte) (hasQuestion ? 1 : 0);
        for (int i = 6; i < headerBytes; i++) {
            out[i] = 0;
        }
        return hasQuestion ? out : java.util.Arrays.copyOf(out, headerBytes);
    }
}
