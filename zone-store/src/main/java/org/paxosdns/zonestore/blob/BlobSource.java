package org.paxosdns.zonestore.blob;

import java.util.Optional;

/**
 * Where verified zone files come from: a blob is returned only when its bytes hash to the
 * requested address. {@link BlobStore} is the real one; tests may use a map.
 */
@FunctionalInterface
public interface BlobSource {
    /** The bytes stored under {@code hash}, just verified, or empty when missing (or found corrupt). */
    Optional<VerifiedBlob> read(ContentHash hash);
}
