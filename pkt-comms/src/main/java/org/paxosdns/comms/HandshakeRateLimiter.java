package org.paxosdns.comms;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A token bucket per source address for inbound connections: every accepted connection may
 * cost this node RSA private-key work, so one source cannot make it do much of that.
 */
final class HandshakeRateLimiter {
    /** Most source addresses tracked; idle (full) buckets are dropped first. */
    static final int SOURCES_MAX = 4_096;

    private static final class Bucket {
        double tokens;
        long refilledNanos;
    }

    private final double perSecond;
    private final int burst;
    private final Map<InetAddress, Bucket> buckets = new HashMap<>();

    HandshakeRateLimiter(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** Takes one token for {@code source}; false when its bucket is empty. */
    synchronized boolean tryAcquire(InetAddress source, long nowNanos) {
        Bucket bucket = buckets.get(source);
        if (bucket == null) {
            if (buckets.size() >= SOURCES_MAX && !evictIdle(nowNanos)) {
                return false;
            }
            bucket = new Bucket();
            bucket.tokens = burst;
            bucket.refilledNanos = nowNanos;
            buckets.put(source, bucket);
        }
        refill(bucket, nowNanos);
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens -= 1;
        return true;
    }

    private void refill(Bucket bucket, long nowNanos) {
        double elapsedSeconds = (nowNanos - bucket.refilledNanos) / 1e9;
        bucket.tokens = Math.min(burst, bucket.tokens + elapsedSeconds * perSecond);
        bucket.refilledNanos = nowNanos;
    }

    private boolean evictIdle(long nowNanos) {
        boolean evicted = false;
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket bucket = it.next();
            refill(bucket, nowNanos);
            if (bucket.tokens >= burst) {
                it.remove();
                evicted = true;
            }
        }
        return evicted;
    }
}
