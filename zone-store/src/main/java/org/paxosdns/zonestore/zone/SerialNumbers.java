package org.paxosdns.zonestore.zone;

/**
 * RFC 1982 serial number arithmetic for SOA serials (SERIAL_BITS = 32): a serial is newer when
 * it lies less than 2^31 ahead, wrapping around. Two serials exactly 2^31 apart are undefined
 * by the RFC; paxosdns treats neither as newer, so such an update is refused.
 */
public final class SerialNumbers {
    /** Largest SOA serial (32 bits, unsigned). */
    public static final long SERIAL_MAX = 0xFFFF_FFFFL;
    private static final long HALF = 1L << 31;

    private SerialNumbers() {}

    /** True when {@code candidate} is newer than {@code current} (both 0..2^32-1). */
    public static boolean isNewer(long candidate, long current) {
        check(candidate);
        check(current);
        long ahead = (candidate - current) & SERIAL_MAX;
        return ahead != 0 && ahead < HALF;
    }

    private static void check(long serial) {
        if (serial < 0 || serial > SERIAL_MAX) {
            throw new IllegalArgumentException("an SOA serial is 32 bits unsigned, not " + serial);
        }
    }
}
