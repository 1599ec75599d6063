package org.paxosdns.zonestore.blob;

/**
 * The bounds of one blob store: the largest blob, the most bytes in all blobs together, and
 * how long an unreferenced blob is kept before garbage collection deletes it (so a zone file
 * uploaded just before its command is proposed is not collected under it).
 */
public record BlobStoreLimits(long blobBytesMax, long storeBytesMax, long unreferencedGraceMs) {
    /**
     * Largest zone file accepted: 128 MiB, room for a 1,000,000-name zone (A, AAAA and TXT per
     * name: 3.1 M records, about 100 MB written one record per line with full owner names).
     */
    public static final long BLOB_BYTES_MAX = 128L << 20;
    /** Default bound of the whole store: 1 GiB. */
    public static final long STORE_BYTES_MAX = 1L << 30;
    /** Default time an unreferenced blob survives: 10 minutes. */
    public static final long UNREFERENCED_GRACE_MS = 10 * 60_000L;

    /** The defaults above. */
    public static final BlobStoreLimits DEFAULT =
            new BlobStoreLimits(BLOB_BYTES_MAX, STORE_BYTES_MAX, UNREFERENCED_GRACE_MS);

    public BlobStoreLimits {
        if (blobBytesMax <= 0 || storeBytesMax < blobBytesMax || unreferencedGraceMs < 0) {
            throw new IllegalArgumentException("need 0 < blobBytesMax <= storeBytesMax and a grace >= 0");
        }
    }
}
