package org.paxosdns.zonestore.zone;

import org.paxosdns.zonestore.blob.BlobStoreLimits;

/**
 * The bounds a zone file must stay within: its size, its record count after {@code $GENERATE}
 * expansion, and how many records all of its {@code $GENERATE} lines may expand to.
 */
public record ZoneLimits(long zoneBytesMax, int zoneRecordsMax, int generateExpansionMax) {
    /** Largest zone file: the blob limit, 128 MiB. */
    public static final long ZONE_BYTES_MAX = BlobStoreLimits.BLOB_BYTES_MAX;
    /**
     * Most records in one zone: 4 M, above a 1,000,000-name zone's 3.1 M (about 200 bytes of heap
     * each while parsed, about 250 bytes served: such a zone needs a node heap of several GiB).
     */
    public static final int ZONE_RECORDS_MAX = 4_000_000;
    /** Most records all {@code $GENERATE} lines of one zone may produce together. */
    public static final int GENERATE_EXPANSION_MAX = 65_536;

    /** The defaults above. */
    public static final ZoneLimits DEFAULT = new ZoneLimits(ZONE_BYTES_MAX, ZONE_RECORDS_MAX, GENERATE_EXPANSION_MAX);

    public ZoneLimits {
        if (zoneBytesMax <= 0 || zoneRecordsMax <= 0 || generateExpansionMax < 0) {
            throw new IllegalArgumentException("zone limits must be positive");
        }
    }
}
