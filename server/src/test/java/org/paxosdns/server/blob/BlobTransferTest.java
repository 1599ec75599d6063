package org.paxosdns.server.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paxosdns.proto.BlobChunk;
import org.paxosdns.proto.BlobMessage;
import org.paxosdns.zonestore.blob.BlobStore;
import org.paxosdns.zonestore.blob.BlobStoreLimits;
import org.paxosdns.zonestore.blob.ContentHash;

/** Two servers' blob transfers joined by an in-memory link (the mesh's part is tested in pkt-comms). */
final class BlobTransferTest {
    @TempDir
    Path dir;

    private final ExecutorService disk = Executors.newSingleThreadExecutor();
    private BlobStore storeA;
    private BlobStore storeB;
    private BlobTransfer a;
    private BlobTransfer b;

    @BeforeEach
    void start() throws Exception {
        storeA = BlobStore.open(dir.resolve("a"), BlobStoreLimits.DEFAULT, System::currentTimeMillis);
        storeB = BlobStore.open(dir.resolve("b"), BlobStoreLimits.DEFAULT, System::currentTimeMillis);
        BlobTransfer[] peers = new BlobTransfer[2];
        a = new BlobTransfer(storeA, link(0, peers), disk);
        b = new BlobTransfer(storeB, link(1, peers), disk);
        peers[0] = a;
        peers[1] = b;
    }

    @AfterEach
    void stop() {
        disk.shutdownNow();
    }

    /** Node {@code self}'s link: delivers straight to the other node's transfer. */
    private static BlobLink link(int self, BlobTransfer[] peers) {
        return new BlobLink() {
            @Override
            public boolean sendBulk(int peer, byte[] bytes) {
                peers[peer].onMessage(self, bytes);
                return true;
            }

            @Override
            public List<Integer> peers() {
                return List.of(1 - self);
            }
        };
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aMultiChunkBlobIsReplicatedDurablyAndAcknowledged() throws Exception {
        byte[] content = random(3 * BlobTransfer.CHUNK_BYTES + 17);
        ContentHash hash = storeA.put(content);
        a.replicate(hash, content, 1).get(10, TimeUnit.SECONDS);
        assertArrayEquals(content, storeB.get(hash).orElseThrow(), "stored (and re-verified) at the peer before the ack");
    }

    @Test
    void aMissingBlobIsFetchedFromThePeer() throws Exception {
        byte[] content = random(1000);
        ContentHash hash = storeB.put(content);
        assertArrayEquals(content, a.fetch(hash).get(10, TimeUnit.SECONDS));
        assertTrue(storeA.has(hash));
    }

    @Test
    void anEmptyBlobTravelsToo() throws Exception {
        ContentHash hash = storeA.put(new byte[0]);
        a.replicate(hash, new byte[0], 1).get(10, TimeUnit.SECONDS);
        assertTrue(storeB.has(hash));
    }

    private void deliverToB(BlobMessage.Builder message) {
        b.onMessage(0, message.setFormatVersion(1).build().toByteArray());
    }

    private static BlobChunk.Builder chunk(byte[] hash, long total, long offset, byte[] data) {
        return BlobChunk.newBuilder().setContentHash(ByteString.copyFrom(hash)).setTotalBytes(total).setOffset(offset)
                .setData(ByteString.copyFrom(data));
    }

    private void drainDisk() throws Exception {
        disk.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void forgedMalformedAndOutOfOrderMessagesAreRefusedAndNothingIsStored() throws Exception {
        byte[] content = random(100);
        byte[] hash = ContentHash.of(content).toBytes();
        long before = b.refusedMessages();
        b.onMessage(0, new byte[] {1, 2, 3, (byte) 0xff});                           // garbage
        deliverToB(BlobMessage.newBuilder().setChunk(chunk(new byte[5], 100, 0, content))); // bad hash length
        deliverToB(BlobMessage.newBuilder().setChunk(chunk(hash, BlobStoreLimits.BLOB_BYTES_MAX + 1, 0, content))); // too big
        deliverToB(BlobMessage.newBuilder().setChunk(chunk(hash, 100, 50, new byte[10])));   // no first chunk
        deliverToB(BlobMessage.newBuilder().setChunk(chunk(hash, 100, 90, new byte[20])));   // past the end
        byte[] forged = content.clone();
        forged[0] ^= 1;
        deliverToB(BlobMessage.newBuilder().setChunk(chunk(hash, 100, 0, forged)));          // wrong bytes for the hash
        b.onMessage(0, BlobMessage.newBuilder().setFormatVersion(7).build().toByteArray()); // unknown version
        drainDisk();
        assertEquals(before + 7, b.refusedMessages());
        assertFalse(storeB.has(ContentHash.fromBytes(hash)));
        assertTrue(storeB.hashes().isEmpty());
    }

    @Test
    void aRestartedPushBeginsItsAssemblyAgain() throws Exception {
        byte[] content = random(2 * BlobTransfer.CHUNK_BYTES);
        byte[] hash = ContentHash.of(content).toBytes();
        byte[] first = java.util.Arrays.copyOf(content, BlobTransfer.CHUNK_BYTES);
        deliverToB(BlobMessage.newBuilder().setChunk(chunk(hash, content.length, 0, first)));
        deliverToB(BlobMessage.newBuilder().setChunk(chunk(hash, content.length, 0, first))); // the push starts over
        deliverToB(BlobMessage.newBuilder().setChunk(chunk(hash, content.length, BlobTransfer.CHUNK_BYTES,
                java.util.Arrays.copyOfRange(content, BlobTransfer.CHUNK_BYTES, content.length))));
        drainDisk();
        assertArrayEquals(content, storeB.get(ContentHash.fromBytes(hash)).orElseThrow());
    }
}
