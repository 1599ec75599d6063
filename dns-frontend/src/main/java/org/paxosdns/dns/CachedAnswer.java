package org.paxosdns.dns;

import java.nio.ByteBuffer;

/**
 * An encoded answer held by the answer cache ({@link QueryProcessor#cached}), shared by every
 * query with the same question. {@link #writeTo} copies it straight into the caller's send
 * buffer and makes it the answer to one query there (ID, RD and CD bits, the question name's
 * case), so a cache hit allocates nothing.
 */
public sealed interface CachedAnswer permits AnswerCache.Entry {
    /** Bytes of the encoded answer. */
    int length();

    /**
     * Writes the answer at {@code out}'s position (which advances by {@link #length()}), made the
     * answer to {@code query}: its ID, its RD and CD bits, its question name in its case.
     */
    void writeTo(ByteBuffer out, byte[] query);
}
