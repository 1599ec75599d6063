package org.paxosdns.server.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A commander's sequence numbers, kept durable beside its key ({@code commander.key.seq}), so a
 * seq is never reused even across crashes: the next seq is written and fsynced before it is
 * used. When the file is missing the counter starts from the clock in microseconds, which a
 * fresh seq file can never have passed.
 */
public final class SeqFile {
    private final Path file;

    public SeqFile(Path keyFile) {
        this.file = keyFile.resolveSibling(keyFile.getFileName() + ".seq");
    }

    /** Reserves and returns the next seq; durable before it returns. */
    public synchronized long next() throws IOException {
        long last = Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()) : 0;
        long next = Math.max(last + 1, System.currentTimeMillis() * 1_000);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((next + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
        return next;
    }
}
