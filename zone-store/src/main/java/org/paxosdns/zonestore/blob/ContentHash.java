package org.paxosdns.zonestore.blob;

import java.util.Arrays;
import java.util.HexFormat;
import org.paxosdns.identity.Hashes;

/**
 * The address of a zone file: the 32-byte SHA3-256 of its bytes. A value (equality by bytes),
 * ordered by its bytes so that sorted collections of hashes are deterministic.
 */
public final class ContentHash implements Comparable<ContentHash> {
    private static final HexFormat HEX = HexFormat.of();
    private final byte[] bytes;

    private ContentHash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The hash of {@code content}. */
    public static ContentHash of(byte[] content) {
        return new ContentHash(Hashes.sha3(content));
    }

    /** Wraps 32 bytes received from elsewhere; any other length is an error. */
    public static ContentHash fromBytes(byte[] bytes) {
        if (bytes.length != Hashes.SHA3_256_BYTES) {
            throw new IllegalArgumentException("a content hash has 32 bytes, not " + bytes.length);
        }
        return new ContentHash(bytes.clone());
    }

    /** Parses 64 hex digits (either case). */
    public static ContentHash fromHex(String hex) {
        try {
            return fromBytes(HEX.parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a content hash (64 hex digits): " + hex, e);
        }
    }

    /** True when {@code text} is 64 lower-case hex digits, the form blob file names take. */
    public static boolean isHexName(String text) {
        if (text.length() != 2 * Hashes.SHA3_256_BYTES) {
            return false;
        }
        return text.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Lower-case hex, as blob file names and commander output use it. */
    public String toHex() {
        return HEX.formatHex(bytes);
    }

    /** True when {@code content} hashes to this address. */
    public boolean matches(byte[] content) {
        return Arrays.equals(bytes, Hashes.sha3(content));
    }

    @Override
    public int compareTo(ContentHash other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ContentHash that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
