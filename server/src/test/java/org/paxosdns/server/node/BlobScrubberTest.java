package org.paxosdns.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paxosdns.zonestore.blob.BlobStore;
import org.paxosdns.zonestore.blob.BlobStoreLimits;
import org.paxosdns.zonestore.blob.ContentHash;

/** The background scrub: finds corrupt and missing blobs, and never reads faster than its rate. */
class BlobScrubberTest {
    private static final int blobBytes = 300_000;

    @TempDir
    Path dir;

    /** A clock that moves only when the scrubber sleeps, so the rate is checked without depending on speed. */
    private static final class VirtualPacer implements BlobScrubber.Pacer {
        long nowNanos;

        @Override
        public long nanoTime() {
            return nowNanos;
        }

        @Override
        public void sleepNanos(long nanos) {
            nowNanos += nanos;
        }
    }

    private static byte[] randomBytes(int seed) {
        byte[] bytes = new byte[blobBytes];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aPassReadsEveryServedBlobAtTheRateAndReportsOnlyTheBadOnes() throws Exception {
        BlobStore blobs = BlobStore.open(dir, BlobStoreLimits.DEFAULT, System::currentTimeMillis);
        ContentHash good = blobs.put(randomBytes(1));
        ContentHash corrupt = blobs.put(randomBytes(2));
        ContentHash missing = blobs.put(randomBytes(3));
        byte[] flipped = randomBytes(2);
        flipped[blobBytes / 2] ^= 1;
        Files.write(blobs.pathOf(corrupt), flipped);
        Files.delete(blobs.pathOf(missing));

        List<ContentHash> reported = new ArrayList<>();
        VirtualPacer pacer = new VirtualPacer();
        long rate = 100_000;
        BlobScrubber scrubber = new BlobScrubber("n", blobs, () -> List.of(good, corrupt, missing), reported::add,
                rate, 0, pacer);
        scrubber.pass();

        assertEquals(List.of(corrupt, missing), reported);
        // two files of 300,000 bytes read at 100,000 bytes/s: 6 s of (virtual) time, not less
        assertEquals(6_000_000_000L, pacer.nowNanos, 1_000_000L);
    }

    @Test
    void theRunningScrubberFindsACorruptionWithinItsBound() throws Exception {
        BlobStore blobs = BlobStore.open(dir, BlobStoreLimits.DEFAULT, System::currentTimeMillis);
        ContentHash hash = blobs.put(randomBytes(4));
        CompletableFuture<ContentHash> reported = new CompletableFuture<>();
        // 300 kB at 10 MB/s with 10 ms between passes: found within tens of milliseconds on an idle machine
        try (BlobScrubber scrubber = new BlobScrubber("n", blobs, () -> List.of(hash), reported::complete,
                10_000_000, 10, BlobScrubber.Pacer.SYSTEM)) {
            scrubber.start();
            byte[] flipped = randomBytes(4);
            flipped[0] ^= 1;
            Files.write(blobs.pathOf(hash), flipped);
            assertEquals(hash, reported.get(60, TimeUnit.SECONDS));
        }
        assertTrue(blobs.get(hash).isEmpty(), "the store's own verified read refuses the corrupt file too");
    }
}
