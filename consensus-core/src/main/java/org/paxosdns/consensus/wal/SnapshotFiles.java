package org.paxosdns.consensus.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.paxosdns.consensus.Snapshot;

/**
 * Snapshot files {@code snap-<appNdx>-<lastSlot>.snap}, written atomically: a temporary file is
 * written and forced, renamed into place, and the directory forced. Format version 1:
 * magic "PAXOSSNP" (8) | version u32 | appNdx u32 | lastSlot u64 | length u64 | crc32c(data) u32 | data.
 */
public final class SnapshotFiles {
    private static final byte[] magic = "PAXOSSNP".getBytes(StandardCharsets.US_ASCII);
    private static final int version = 1;
    private static final int headerBytes = 8 + 4 + 4 + 8 + 8 + 4;

    private SnapshotFiles() {
    }

    /** Writes {@code snapshot} durably, then deletes older snapshots of the same application. */
    public static void write(Path dir, Snapshot snapshot) throws IOException {
        byte[] data = snapshot.data();
        ByteBuffer header = ByteBuffer.allocate(headerBytes).put(magic).putInt(version).putInt(snapshot.appNdx())
                .putLong(snapshot.lastSlot()).putLong(data.length).putInt(WalFormat.crc(data, 0, data.length));
        header.flip();
        Path target = path(dir, snapshot.appNdx(), snapshot.lastSlot());
        Path temp = dir.resolve(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer body = ByteBuffer.wrap(data);
            while (header.hasRemaining() || body.hasRemaining()) {
                ch.write(new ByteBuffer[] {header, body});
            }
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        WriteAheadLog.fsyncDirectory(dir);
        for (Path old : list(dir, snapshot.appNdx())) {
            if (!old.equals(target)) {
                Files.delete(old);
            }
        }
    }

    /** The newest snapshot of {@code appNdx} in {@code dir}, or null; a damaged one is refused. */
    public static Snapshot loadLatest(Path dir, int appNdx) throws IOException {
        List<Path> files = list(dir, appNdx);
        return files.isEmpty() ? null : read(files.get(files.size() - 1), appNdx);
    }

    private static Snapshot read(Path file, int appNdx) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < headerBytes) {
            throw new CorruptLogException(file, 0, "snapshot shorter than its header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte[] m = new byte[magic.length];
        b.get(m);
        int v = b.getInt();
        int app = b.getInt();
        long lastSlot = b.getLong();
        long length = b.getLong();
        int crc = b.getInt();
        if (!Arrays.equals(m, magic) || v != version || app != appNdx) {
            throw new CorruptLogException(file, 0, "not a version " + version + " snapshot of application " + appNdx);
        }
        if (length != bytes.length - headerBytes || crc != WalFormat.crc(bytes, headerBytes, bytes.length - headerBytes)) {
            throw new CorruptLogException(file, headerBytes, "snapshot data damaged");
        }
        return new Snapshot(appNdx, lastSlot, Arrays.copyOfRange(bytes, headerBytes, bytes.length));
    }

    /** Snapshot files of {@code appNdx}, oldest first. */
    private static List<Path> list(Path dir, int appNdx) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        String prefix = "snap-" + appNdx + "-";
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".snap"))
                    .forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    private static Path path(Path dir, int appNdx, long lastSlot) {
        return dir.resolve(String.format("snap-%d-%020d.snap", appNdx, lastSlot));
    }
}
