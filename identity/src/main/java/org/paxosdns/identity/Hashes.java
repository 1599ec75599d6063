package org.paxosdns.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA3-256, the one hash of paxosdns: node IDs, cluster IDs, zone content addresses. */
public final class Hashes {
    /** Length of a SHA3-256 digest in bytes. */
    public static final int SHA3_256_BYTES = 32;

    private Hashes() {}

    /** Returns the SHA3-256 digest of the concatenation of {@code parts}. */
    public static byte[] sha3(byte[]... parts) {
        MessageDigest digest = newSha3();
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }

    /** A fresh SHA3-256 digest, for hashing streams piece by piece. */
    public static MessageDigest newSha3() {
        try {
            return MessageDigest.getInstance("SHA3-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA3-256", e);
        }
    }
}
