package org.paxosdns.zonestore.zone;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The bytes of a zone file as the stream dnsjava's {@code Master} reads, without a lock per
 * byte. dnsjava's tokenizer reads one byte per call and wraps any stream that is not a
 * {@link BufferedInputStream} in one, whose {@code read()} is synchronized, like
 * {@code ByteArrayInputStream}'s; on JDK 17, without biased locking, those locks were two thirds
 * of the time to parse a large zone. This class is a {@code BufferedInputStream} only so that the
 * tokenizer takes it as it is; it reads straight from the array and never uses the inherited
 * buffer. Not thread-safe: one parse reads it.
 */
public final class MasterFileInput extends BufferedInputStream {
    private final byte[] content;
    private int position;

    public MasterFileInput(byte[] content) {
        super(InputStream.nullInputStream(), 1);
        this.content = content;
    }

    @Override
    public int read() {
        return position < content.length ? content[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] destination, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, destination.length);
        if (length == 0) {
            return 0;
        }
        if (position >= content.length) {
            return -1;
        }
        int count = Math.min(length, content.length - position);
        System.arraycopy(content, position, destination, offset, count);
        position += count;
        return count;
    }

    @Override
    public long skip(long count) {
        long skipped = Math.max(0, Math.min(count, content.length - position));
        position += (int) skipped;
        return skipped;
    }

    @Override
    public int available() {
        return content.length - position;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void mark(int readLimit) {
        // not supported (markSupported() is false); nothing to remember
    }

    @Override
    public void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    @Override
    public void close() {
        position = content.length;
    }
}
