package org.paxosdns.zonestore.blob;

import java.util.Optional;

/**
 * Bytes together with the address they were just hashed to. The only ways to get one hash the
 * bytes, so code that receives a {@code VerifiedBlob} need not hash a large zone file again: the
 * upload check, the store's verified read and the admission's parse each used to re-hash the
 * same 100 MB. The array is shared, not copied; nobody may change it after construction.
 */
public final class VerifiedBlob {
    private final ContentHash hash;
    private final byte[] content;

    private VerifiedBlob(ContentHash hash, byte[] content) {
        this.hash = hash;
        this.content = content;
    }

    /** {@code content} with the address it hashes to. */
    public static VerifiedBlob of(byte[] content) {
        return new VerifiedBlob(ContentHash.of(content), content);
    }

    /** {@code content} when it hashes to {@code stated}; empty otherwise. */
    public static Optional<VerifiedBlob> ifMatches(ContentHash stated, byte[] content) {
        return stated.matches(content) ? Optional.of(new VerifiedBlob(stated, content)) : Optional.empty();
    }

    public ContentHash hash() {
        return hash;
    }

    /** The bytes (shared, read-only by contract). */
    public byte[] content() {
        return content;
    }

    @Override
    public String toString() {
        return "blob " + hash + " (" + content.length + " bytes)";
    }
}
