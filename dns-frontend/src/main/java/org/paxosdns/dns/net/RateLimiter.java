package org.paxosdns.dns.net;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.function.LongSupplier;

/**
 * Response rate limiting for UDP, accounted as Knot's and BIND's RRL do: per client prefix
 * (/24 IPv4, /56 IPv6) and {@link ResponseKind}, under the name that kind is counted by (query
 * name and type for positive answers and NODATA, the zone for NXDOMAIN, the delegation point
 * for referrals, nothing for errors). Each such bucket may receive
 * {@link RateLimitConfig#responsesPerSecond()} responses per second; beyond that responses are
 * dropped, except every slip-th one, which is replaced by an empty truncated answer so that a
 * genuine client retries over TCP.
 */
final class RateLimiter {
    private static final int headerBytes = 12;
    private static final int tcFlag = 0x02;
    private static final long nanosPerSecond = 1_000_000_000L;

    private final RateLimitConfig config;
    private final LongSupplier nanoClock;
    private final Cache<Bucket, Window> windows;

    RateLimiter(RateLimitConfig config, LongSupplier nanoClock) {
        this.config = config;
        this.nanoClock = nanoClock;
        this.windows = Caffeine.newBuilder().maximumSize(RateLimitConfig.bucketsTrackedMax).build();
    }

    /**
     * What one count is kept for.
     *
     * @param prefix the client's prefix ({@link #prefix})
     * @param kind the response kind
     * @param qtype the query type (positive answers and NODATA only, else 0)
     * @param name a hash of the name the kind is counted under (0 for errors)
     */
    record Bucket(long prefix, ResponseKind kind, int qtype, long name) {
    }

    /** One bucket's count in the current one-second window. */
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

    /** Whether responses are limited at all ({@link #admit} returns every response when not). */
    boolean enabled() {
        return config.enabled();
    }

    /** {@code response} itself, a truncated stand-in for it (a slip), or null to drop it. */
    byte[] admit(InetAddress client, byte[] response) {
        if (!config.enabled()) {
            return response;
        }
        Window window = windows.get(bucket(client, response), k -> new Window());
        int verdict = window.admit(nanoClock.getAsLong() / nanosPerSecond, config.responsesPerSecond(), config.slip());
        if (verdict > 0) {
            return response;
        }
        return verdict == 0 ? truncated(response) : null;
    }

    /** The bucket {@code response} to {@code client} is counted in. */
    static Bucket bucket(InetAddress client, byte[] response) {
        ResponseKind kind = ResponseKind.of(response);
        boolean hasQuestion = WireNames.u16(response, 4) > 0;
        return switch (kind) {
            case positive, noData -> hasQuestion
                    ? new Bucket(prefix(client), kind, questionType(response), WireNames.hashName(response, headerBytes))
                    : new Bucket(prefix(client), kind, 0, 0);
            case nxDomain, referral -> new Bucket(prefix(client), kind, 0, authorityOwner(response));
            case error -> new Bucket(prefix(client), kind, 0, 0);
        };
    }

    private static int questionType(byte[] response) {
        int at = WireNames.skipName(response, headerBytes);
        return at < 0 || at + 2 > response.length ? 0 : WireNames.u16(response, at);
    }

    /** A hash of the owner of the first authority record (the SOA or the NS set), 0 when there is none. */
    private static long authorityOwner(byte[] response) {
        int at = WireNames.afterQuestion(response);
        for (int i = WireNames.u16(response, 6); i > 0 && at >= 0; i--) {
            at = WireNames.skipRecord(response, at);
        }
        return at < 0 || at >= response.length || WireNames.u16(response, 8) == 0 ? 0 : WireNames.hashName(response, at);
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
