package org.paxosdns.dns.net;

/**
 * Response rate limiting per client prefix (/24 for IPv4, /56 for IPv6) and response kind, as in
 * Knot and BIND (see {@link RateLimiter}).
 *
 * @param responsesPerSecond responses per second allowed to one bucket (0: rate limiting off)
 * @param slip every slip-th limited response is sent as a truncated reply instead of dropped,
 *             so a real client behind a spoofed prefix can retry over TCP (0: always drop)
 */
public record RateLimitConfig(int responsesPerSecond, int slip) {
    /** Buckets (prefix, response kind, name) tracked at once; the least recently seen are forgotten first. */
    public static final int bucketsTrackedMax = 100_000;

    /** Checks the values are not negative. */
    public RateLimitConfig {
        if (responsesPerSecond < 0 || slip < 0) {
            throw new IllegalArgumentException("rate limit values must not be negative");
        }
    }

    /** Rate limiting disabled. */
    public static RateLimitConfig off() {
        return new RateLimitConfig(0, 0);
    }

    /** Whether responses are limited at all. */
    public boolean enabled() {
        return responsesPerSecond > 0;
    }
}
