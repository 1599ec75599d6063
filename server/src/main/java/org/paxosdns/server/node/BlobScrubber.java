package org.paxosdns.server.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.paxosdns.zonestore.blob.BlobStore;
import org.paxosdns.zonestore.blob.ContentHash;

/**
 * Re-hashes the served blobs on disk in the background, a chunk at a time and at most
 * {@code bytesPerSecond}, so a corrupt or vanished zone file is noticed without seconds of
 * SHA3 in one go next to the DNS threads (a 100 MB zone used to cost about a second of CPU on
 * the zone thread every minute). One pass over every served blob, then a pause of
 * {@code passIntervalMs}: a file corrupted at any moment is reported within
 * {@code passIntervalMs + 2 * servedBytes / bytesPerSecond} (the pass under way may have read
 * the spot already). A bad blob goes to {@code onBad}, which re-checks it with the store's own
 * verified read (that deletes a corrupt file) and fetches it again.
 */
final class BlobScrubber implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BlobScrubber.class.getName());
    /** Default scrub rate: 8 MiB/s is about 3% of one core for SHA3-256 here. */
    static final long SCRUB_BYTES_PER_SECOND_DEFAULT = 8L << 20;
    /** Bytes read and hashed between two checks of the rate. */
    static final int SCRUB_CHUNK_BYTES = 64 << 10;

    /** The clock and the sleep of the rate limit; tests give a virtual one. */
    interface Pacer {
        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;

        Pacer SYSTEM = new Pacer() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        };
    }

    private final BlobStore blobs;
    private final Supplier<Collection<ContentHash>> served;
    private final Consumer<ContentHash> onBad;
    private final long bytesPerSecond;
    private final long passIntervalMs;
    private final Pacer pacer;
    private final Thread thread;
    private long paceStartNanos;
    private long pacedBytes;

    BlobScrubber(String node, BlobStore blobs, Supplier<Collection<ContentHash>> served, Consumer<ContentHash> onBad,
                 long bytesPerSecond, long passIntervalMs, Pacer pacer) {
        if (bytesPerSecond <= 0 || passIntervalMs < 0) {
            throw new IllegalArgumentException("need bytesPerSecond > 0 and passIntervalMs >= 0");
        }
        this.blobs = blobs;
        this.served = served;
        this.onBad = onBad;
        this.bytesPerSecond = bytesPerSecond;
        this.passIntervalMs = passIntervalMs;
        this.pacer = pacer;
        this.thread = new Thread(this::loop, node + "-blob-scrub");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                pacer.sleepNanos(passIntervalMs * 1_000_000);
                pass();
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Verifies every served blob once, at the rate; reports each bad one. */
    void pass() throws InterruptedException {
        paceStartNanos = pacer.nanoTime();
        pacedBytes = 0;
        for (ContentHash hash : served.get()) {
            if (!verify(hash)) {
                onBad.accept(hash);
            }
        }
    }

    /** True when the blob's file hashes to {@code hash}; false when it does not, is missing or unreadable. */
    boolean verify(ContentHash hash) throws InterruptedException {
        MessageDigest digest = sha3();
        ByteBuffer chunk = ByteBuffer.allocate(SCRUB_CHUNK_BYTES);
        try (FileChannel file = FileChannel.open(blobs.pathOf(hash), StandardOpenOption.READ)) {
            int read;
            while ((read = file.read(chunk.clear())) >= 0) {
                digest.update(chunk.array(), 0, read);
                pace(read);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "blob {0} unreadable while scrubbing: {1}", hash, e.getMessage());
            return false;
        }
        return Arrays.equals(digest.digest(), hash.toBytes());
    }

    /** Sleeps until {@code bytes} more fit within the rate since the pass began. */
    private void pace(int bytes) throws InterruptedException {
        pacedBytes += bytes;
        long dueNanos = paceStartNanos + (long) (pacedBytes * 1e9 / bytesPerSecond);
        long waitNanos = dueNanos - pacer.nanoTime();
        if (waitNanos > 0) {
            pacer.sleepNanos(waitNanos);
        }
    }

    private static MessageDigest sha3() {
        try {
            return MessageDigest.getInstance("SHA3-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA3-256", e);
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
