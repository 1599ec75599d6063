package org.paxosdns.identity;

import java.util.Locale;

/**
 * Zone names as paxosdns compares them: lower-case, absolute (trailing dot), and matched on
 * label boundaries, so {@code example.com.} covers {@code www.example.com.} but not
 * {@code badexample.com.}.
 */
public final class ZoneNames {
    /** Longest domain name in presentation form, in characters (RFC 1035: 255 octets on the wire). */
    public static final int NAME_CHARS_MAX = 253 + 1;

    private ZoneNames() {}

    /** Lower-cases and appends the trailing dot; refuses empty labels and over-long names. */
    public static String normalize(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty domain name");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        String absolute = lower.endsWith(".") ? lower : lower + ".";
        if (absolute.equals(".")) {
            return absolute;
        }
        if (absolute.length() > NAME_CHARS_MAX) {
            throw new IllegalArgumentException("domain name longer than " + NAME_CHARS_MAX + " characters: " + name);
        }
        if (absolute.startsWith(".") || absolute.contains("..")) {
            throw new IllegalArgumentException("domain name with an empty label: " + name);
        }
        for (String label : absolute.substring(0, absolute.length() - 1).split("\\.")) {
            if (label.length() > 63) {
                throw new IllegalArgumentException("label longer than 63 characters in " + name);
            }
        }
        return absolute;
    }

    /** True when normalized {@code name} equals {@code suffix} or lies below it. */
    public static boolean isAtOrBelow(String name, String suffix) {
        if (suffix.equals(".")) {
            return true;
        }
        return name.equals(suffix) || name.endsWith("." + suffix);
    }
}
