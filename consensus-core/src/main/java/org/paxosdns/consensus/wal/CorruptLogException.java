package org.paxosdns.consensus.wal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Stable storage holds damaged data the node must not silently drop: a broken record before the
 * last commit marker, a damaged closed segment, or a snapshot file failing its checksum. Names the
 * file and the byte offset.
 */
public final class CorruptLogException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public CorruptLogException(Path file, long offset, String what) {
        super(file + " at offset " + offset + ": " + what);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** Byte offset of the damage within the file. */
    public long offset() {
        return offset;
    }
}
