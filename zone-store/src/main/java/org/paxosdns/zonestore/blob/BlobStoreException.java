package org.paxosdns.zonestore.blob;

/**
 * A blob the store refuses to take: larger than the per-blob limit, or more than the store
 * has room for. The message names the limit and the sizes involved.
 */
public final class BlobStoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public BlobStoreException(String message) {
        super(message);
    }
}
