package org.paxosdns.server.kv;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The exactly-once window's digest of a command's bytes: SHA-256, one reusable
 * {@link MessageDigest} per thread. Every node computes it at every apply, so its cost is paid
 * once per write per node; the JDK's SHA-256 uses the CPU's SHA instructions where it has them,
 * while its SHA3-256 (the design's hash for content, identities and signatures) runs in Java.
 */
final class CommandDigests {
    /** Length of a SHA-256 digest in bytes. */
    static final int SHA256_BYTES = 32;

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    });

    private CommandDigests() {
    }

    /** SHA-256 of {@code bytes}. */
    static byte[] sha256(byte[] bytes) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return digest.digest(bytes);
    }
}
