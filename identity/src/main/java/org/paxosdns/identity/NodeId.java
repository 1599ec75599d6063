package org.paxosdns.identity;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A server's 32-byte identity: the SHA3-256 of the DER encoding of its signing public key, so
 * an ID cannot be claimed without the key behind it.
 */
public final class NodeId {
    private final byte[] bytes;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The ID that belongs to a signing public key. */
    public static NodeId of(PublicKey signingKey) {
        return new NodeId(Hashes.sha3(signingKey.getEncoded()));
    }

    /** Wraps 32 bytes received from elsewhere; any other length is an error. */
    public static NodeId fromBytes(byte[] bytes) {
        if (bytes.length != Hashes.SHA3_256_BYTES) {
            throw new IllegalArgumentException("a node ID has 32 bytes, not " + bytes.length);
        }
        return new NodeId(bytes.clone());
    }

    /** Parses 64 hex digits. */
    public static NodeId fromHex(String hex) {
        try {
            return fromBytes(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a node ID (64 hex digits): " + hex, e);
        }
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NodeId that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toHex().substring(0, 16);
    }
}
