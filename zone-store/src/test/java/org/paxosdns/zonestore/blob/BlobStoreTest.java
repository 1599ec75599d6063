package org.paxosdns.zonestore.blob;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class BlobStoreTest {
    @TempDir
    Path dir;

    private final AtomicLong nowMs = new AtomicLong(1_000);

    private BlobStore open(BlobStoreLimits limits) throws IOException {
        return BlobStore.open(dir, limits, nowMs::get);
    }

    @Test
    void putThenGetReturnsTheBytesUnderTheirHexHash() throws Exception {
        BlobStore store = open(BlobStoreLimits.DEFAULT);
        byte[] content = "zone bytes".getBytes(UTF_8);
        ContentHash hash = store.put(content);

        assertEquals(ContentHash.of(content), hash);
        String hex = hash.toHex();
        assertTrue(Files.isRegularFile(dir.resolve("blobs").resolve(hex.substring(0, 2)).resolve(hex)));
        assertArrayEquals(content, store.get(hash).orElseThrow());
        assertTrue(store.has(hash));
        assertEquals(content.length, store.totalBytes());
    }

    @Test
    void puttingTheSameBytesTwiceCountsThemOnce() throws Exception {
        BlobStore store = open(BlobStoreLimits.DEFAULT);
        byte[] content = "same".getBytes(UTF_8);
        store.put(content);
        store.put(content);
        assertEquals(content.length, store.totalBytes());
        assertEquals(1, store.hashes().size());
    }

    @Test
    void aCorruptFileIsReportedMissingAndDeleted() throws Exception {
        BlobStore store = open(BlobStoreLimits.DEFAULT);
        ContentHash hash = store.put("original".getBytes(UTF_8));
        Files.write(store.pathOf(hash), "tampered".getBytes(UTF_8));

        assertTrue(store.get(hash).isEmpty());
        assertFalse(Files.exists(store.pathOf(hash)));
        assertEquals(1, store.corruptBlobsFound());
        assertEquals(0, store.totalBytes());
    }

    @Test
    void aMissingBlobIsEmpty() throws Exception {
        BlobStore store = open(BlobStoreLimits.DEFAULT);
        ContentHash hash = ContentHash.of("never stored".getBytes(UTF_8));
        assertTrue(store.get(hash).isEmpty());
        assertFalse(store.has(hash));
    }

    @Test
    void reopeningDeletesCrashLeftoversAndCountsTheBlobs() throws Exception {
        BlobStore first = open(BlobStoreLimits.DEFAULT);
        byte[] content = "kept".getBytes(UTF_8);
        ContentHash hash = first.put(content);
        Path leftover = first.pathOf(hash).resolveSibling("." + hash.toHex() + ".0011223344556677.tmp");
        Files.write(leftover, "half a zo".getBytes(UTF_8));

        BlobStore reopened = open(BlobStoreLimits.DEFAULT);

        assertFalse(Files.exists(leftover));
        assertEquals(Set.of(hash), reopened.hashes());
        assertEquals(content.length, reopened.totalBytes());
        assertArrayEquals(content, reopened.get(hash).orElseThrow());
    }

    @Test
    void aBlobOverThePerBlobLimitIsRefused() throws Exception {
        BlobStore store = open(new BlobStoreLimits(8, 100, 0));
        BlobStoreException e = assertThrows(BlobStoreException.class, () -> store.put(new byte[9]));
        assertTrue(e.getMessage().contains("blobBytesMax=8"), e.getMessage());
        assertEquals(0, store.totalBytes());
    }

    @Test
    void theStoreLimitIsEnforcedAndRoomReturnsAfterADelete() throws Exception {
        BlobStore store = open(new BlobStoreLimits(8, 20, 0));
        ContentHash a = store.put("aaaaaaaa".getBytes(UTF_8));
        store.put("bbbbbbbb".getBytes(UTF_8));
        BlobStoreException e = assertThrows(BlobStoreException.class, () -> store.put("cccccccc".getBytes(UTF_8)));
        assertTrue(e.getMessage().contains("storeBytesMax=20"), e.getMessage());
        assertEquals(16, store.totalBytes());

        assertTrue(store.delete(a));
        store.put("cccccccc".getBytes(UTF_8));
        assertEquals(16, store.totalBytes());
    }

    @Test
    void garbageCollectionKeepsReferencedBlobsAndWaitsOutTheGracePeriod() throws Exception {
        BlobStore store = open(new BlobStoreLimits(100, 1000, 60_000));
        ContentHash referenced = store.put("in the state".getBytes(UTF_8));
        ContentHash orphan = store.put("uploaded, never published".getBytes(UTF_8));

        nowMs.addAndGet(59_999);
        assertEquals(List.of(), store.collectGarbage(Set.of(referenced)));
        assertTrue(store.has(orphan));

        nowMs.addAndGet(1);
        assertEquals(List.of(orphan), store.collectGarbage(Set.of(referenced)));
        assertFalse(store.has(orphan));
        assertTrue(store.has(referenced));
    }

    @Test
    void aBlobThatStopsBeingReferencedGetsAFullGracePeriod() throws Exception {
        BlobStore store = open(new BlobStoreLimits(100, 1000, 60_000));
        ContentHash hash = store.put("old zone version".getBytes(UTF_8));
        nowMs.addAndGet(120_000);
        store.collectGarbage(Set.of(hash));

        assertEquals(List.of(), store.collectGarbage(Set.of()));
        nowMs.addAndGet(60_000);
        assertEquals(List.of(hash), store.collectGarbage(Set.of()));
    }
}
