package org.paxosdns.consensus.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * An append-only log of records in segment files ({@code wal-<number>.log}, format in
 * {@link WalFormat}). {@link #append} buffers; {@link #commit} writes the buffered records and a
 * commit frame and forces them with one {@code force} (group commit). Opening recovers every
 * committed batch, cuts off a torn tail after the last intact commit frame, and refuses damage
 * before it. A failed write or force throws {@link WalFatalError} and the log stays failed: it
 * never retries. Each new segment starts with the records {@code checkpoint} supplies (the state a
 * reader needs even once older segments are deleted). Not thread-safe.
 */
public final class WriteAheadLog implements AutoCloseable {
    /** Default size after which a new segment is started. */
    public static final long segmentBytesDefault = 64L * 1024 * 1024;

    private final Path dir;
    private final long segmentBytesMax;
    private final Supplier<List<WalRecord>> checkpoint;
    private final ChannelOpener opener;
    private final List<WalRecord> recovered = new ArrayList<>();
    /** Segment number -> highest slot any record in it concerns. */
    private final TreeMap<Long, Long> segments = new TreeMap<>();
    private FileChannel channel;
    private long position;
    private long batch;
    private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private long bufferedMaxSlot;
    private int buffered;
    private long fsyncs;
    private Throwable failure;

    /** Opens segment files; tests substitute one whose channels fail. */
    interface ChannelOpener {
        FileChannel open(Path path, StandardOpenOption... options) throws IOException;
    }

    private WriteAheadLog(Path dir, long segmentBytesMax, Supplier<List<WalRecord>> checkpoint, ChannelOpener opener) {
        this.dir = dir;
        this.opener = opener;
        this.segmentBytesMax = segmentBytesMax;
        this.checkpoint = checkpoint;
    }

    /** Opens (creating if needed) the log in {@code dir} and recovers its committed records. */
    public static WriteAheadLog open(Path dir, long segmentBytesMax, Supplier<List<WalRecord>> checkpoint)
            throws IOException {
        return open(dir, segmentBytesMax, checkpoint, FileChannel::open);
    }

    static WriteAheadLog open(Path dir, long segmentBytesMax, Supplier<List<WalRecord>> checkpoint, ChannelOpener opener)
            throws IOException {
        Files.createDirectories(dir);
        WriteAheadLog log = new WriteAheadLog(dir, segmentBytesMax, checkpoint, opener);
        log.recover();
        return log;
    }

    /** The committed records found when the log was opened, in order. */
    public List<WalRecord> recovered() {
        return List.copyOf(recovered);
    }

    /** Buffers a record; it is durable once a later {@link #commit()} returns. */
    public void append(long slot, byte[] payload) {
        checkUsable();
        if (payload.length > WalFormat.recordBytesMax) {
            throw new IllegalArgumentException("log record of " + payload.length + " bytes");
        }
        ensureRoom(WalFormat.frameOverheadBytes + WalFormat.bodyPrefixBytes + payload.length);
        WalFormat.putFrame(buffer, WalFormat.typeRecord, slot, payload);
        bufferedMaxSlot = Math.max(bufferedMaxSlot, slot);
        buffered++;
    }

    /** Makes every buffered record durable with one commit frame and one force. */
    public void commit() {
        checkUsable();
        if (buffered == 0) {
            return;
        }
        writeBatch();
        segments.merge(segments.lastKey(), bufferedMaxSlot, Math::max);
        bufferedMaxSlot = 0;
        buffered = 0;
        if (position >= segmentBytesMax) {
            try {
                startSegment(segments.lastKey() + 1);
            } catch (IOException e) {
                throw fail("starting a new log segment failed", e);
            }
        }
    }

    /** Deletes the oldest segments whose records all concern slots at or below {@code slot}. */
    public void deleteSegmentsThrough(long slot) throws IOException {
        checkUsable();
        boolean deleted = false;
        while (segments.size() > 1 && segments.firstEntry().getValue() <= slot) {
            Files.delete(segmentPath(segments.pollFirstEntry().getKey()));
            deleted = true;
        }
        if (deleted) {
            fsyncDirectory(dir);
        }
    }

    /** Forces performed so far (one per committed batch or new segment). */
    public long fsyncs() {
        return fsyncs;
    }

    /** Segment files currently in use. */
    public int segmentCount() {
        return segments.size();
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    // ---------------------------------------------------------------- writing

    private void writeBatch() {
        ensureRoom(WalFormat.frameOverheadBytes + WalFormat.bodyPrefixBytes + WalFormat.commitPayloadBytes);
        long commitOffset = position + buffer.position();
        WalFormat.putFrame(buffer, WalFormat.typeCommit, 0, WalFormat.commitPayload(++batch, commitOffset));
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            channel.force(false);
            fsyncs++;
        } catch (IOException e) {
            throw fail("writing or forcing the log failed", e);
        }
        buffer.clear();
    }

    private void ensureRoom(int bytes) {
        if (buffer.remaining() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
    }

    private void startSegment(long number) throws IOException {
        close();
        Path path = segmentPath(number);
        channel = opener.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
        position = 0;
        ByteBuffer header = WalFormat.header(number);
        while (header.hasRemaining()) {
            position += channel.write(header, position);
        }
        segments.put(number, 0L);
        for (WalRecord r : checkpoint.get()) {
            append(0, r.payload());
        }
        buffered = Math.max(buffered, 1);
        writeBatch();
        buffered = 0;
        fsyncDirectory(dir);
    }

    private WalFatalError fail(String what, Throwable cause) {
        failure = cause;
        return new WalFatalError(what + " in " + dir + "; the node must stop", cause);
    }

    private void checkUsable() {
        if (failure != null) {
            throw new WalFatalError("the log in " + dir + " failed earlier", failure);
        }
        if (channel == null) {
            throw new IllegalStateException("log " + dir + " is closed");
        }
    }

    // ---------------------------------------------------------------- recovery

    private void recover() throws IOException {
        List<Long> numbers = listSegments();
        for (int i = 0; i < numbers.size(); i++) {
            long number = numbers.get(i);
            if (i > 0 && number != numbers.get(i - 1) + 1) {
                throw new CorruptLogException(segmentPath(number), 0, "segment " + (numbers.get(i - 1) + 1) + " is missing");
            }
            boolean last = i == numbers.size() - 1;
            if (!recoverSegment(number, last)) {
                numbers = numbers.subList(0, i);
                break;
            }
        }
        if (numbers.isEmpty()) {
            startSegment(1);
        } else {
            reopenLast(numbers.get(numbers.size() - 1));
        }
    }

    /**
     * Reads one segment. Returns false for a last segment that never got its first commit (the node
     * stopped while creating it): it is removed and the previous one stays the active segment.
     */
    private boolean recoverSegment(long number, boolean last) throws IOException {
        Path path = segmentPath(number);
        byte[] bytes = Files.readAllBytes(path);
        SegmentScan scan;
        try {
            scan = SegmentScan.scan(path, bytes, number);
        } catch (CorruptLogException e) {
            if (last && !SegmentScan.intactCommitAfter(bytes, 0)) {
                return removeUncommitted(path);
            }
            throw e;
        }
        if (scan.badOffset >= 0 && (!last || scan.commitAfterDamage)) {
            throw new CorruptLogException(path, scan.badOffset, scan.badReason + " before committed data");
        }
        if (!last && scan.committedEnd != bytes.length) {
            throw new CorruptLogException(path, scan.committedEnd, "uncommitted bytes in a closed segment");
        }
        if (last && scan.lastBatch == 0) {
            return removeUncommitted(path);
        }
        recovered.addAll(scan.committed);
        segments.put(number, scan.maxSlot);
        batch = Math.max(batch, scan.lastBatch);
        position = scan.committedEnd;
        return true;
    }

    private boolean removeUncommitted(Path path) throws IOException {
        Files.delete(path);
        fsyncDirectory(dir);
        return false;
    }

    private void reopenLast(long number) throws IOException {
        channel = opener.open(segmentPath(number), StandardOpenOption.WRITE, StandardOpenOption.READ);
        if (channel.size() > position) {
            channel.truncate(position);
            channel.force(true);
        }
    }

    private List<Long> listSegments() throws IOException {
        List<Long> numbers = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.matches("wal-\\d{20}\\.log")) {
                    numbers.add(Long.parseLong(name.substring(4, 24)));
                }
            }
        }
        numbers.sort(null);
        return numbers;
    }

    private Path segmentPath(long number) {
        return dir.resolve(String.format("wal-%020d.log", number));
    }

    /** Forces a directory so a created, renamed or deleted entry in it is durable. */
    static void fsyncDirectory(Path directory) throws IOException {
        try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
