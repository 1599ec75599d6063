package org.paxosdns.comms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.paxosdns.identity.TestKeys;
import org.paxosdns.proto.AppMsg;
import org.paxosdns.proto.Finished;
import org.paxosdns.proto.KeepAlive;
import org.paxosdns.proto.PeerErrorCode;
import org.paxosdns.proto.Sealed;
import org.paxosdns.proto.SessionMessage;

/**
 * Violations after a successful handshake: the raw client (node0) confirms a session with
 * node1, then breaks the record layer. node1 answers with a sealed Error, closes, marks node0
 * down, and keeps its connection to node2.
 */
class SessionRejectionTest {
    private TestCluster cluster;
    private RawPeer raw;

    @BeforeEach
    void start() throws Exception {
        cluster = TestCluster.start(3, Set.of(0), c -> c);
        cluster.awaitFullMesh();
        raw = RawPeer.connect(cluster.address(1), cluster.roster, 0, TestKeys.server(0), 1);
        raw.handshake();
        Await.until("node1 sees node0 up", () -> cluster.meshes[1].isUp(0));
    }

    @AfterEach
    void stop() throws IOException {
        raw.close();
        cluster.close();
    }

    private void assertRefused(PeerErrorCode expected) throws IOException {
        assertEquals(expected, raw.awaitError());
        assertTrue(raw.closedByPeer());
        Await.until("node1 sees node0 down", () -> !cluster.meshes[1].isUp(0));
        assertEquals(1, cluster.meshes[1].stats().sessionErrors());
        long before = cluster.collectors[2].count(1);
        assertTrue(cluster.meshes[1].send(TestCluster.APP, 2, "still here".getBytes(StandardCharsets.UTF_8)));
        Await.until("node2 hears node1", () -> cluster.collectors[2].count(1) == before + 1);
        assertEquals(1, cluster.meshes[1].stats().peers().get(1).ups(), "node1-node2 never went down");
    }

    private static SessionMessage keepAlive(long n) {
        return SessionMessage.newBuilder().setKeepAlive(KeepAlive.newBuilder().setMsgN(n)).build();
    }

    @Test
    void appMessagesArriveFromTheRawPeer() throws Exception {
        raw.sendRecord(SessionMessage.newBuilder().setAppMsg(AppMsg.newBuilder().setAppNdx(TestCluster.APP)
                .setContents(ByteString.copyFromUtf8("hand-made"))).build());
        Await.until("node1 delivers the raw AppMsg", () -> cluster.collectors[1].count(0) == 1);
        assertEquals("hand-made", new String(cluster.collectors[1].from(0).get(0), StandardCharsets.UTF_8));
    }

    @Test
    void peerThatTalksButNeverReadsIsClosed() throws Exception {
        byte[] chunk = new byte[1 << 20]; // a large message: 1 MiB
        for (int i = 0; i < 60; i++) {
            cluster.meshes[1].send(TestCluster.APP, 0, chunk); // far more than the socket buffers hold
        }
        long n = 1;
        long deadline = System.nanoTime() + Await.DEFAULT.toNanos();
        while (cluster.meshes[1].isUp(0) && System.nanoTime() < deadline) {
            raw.sendRecord(keepAlive(n++)); // keeps node1 hearing from node0, which never reads
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TestCluster.KEEP_ALIVE_MS)); // pacing, not synchronisation
        }
        assertFalse(cluster.meshes[1].isUp(0), "node1 gives up on a peer that does not read");
        assertEquals(1, cluster.meshes[1].stats().sessionErrors());
    }

    @Test
    void skippedCounter() throws Exception {
        raw.seal(keepAlive(1)); // sealed under counter 1 and never sent
        raw.sendRecord(keepAlive(2));
        assertRefused(PeerErrorCode.COUNTER_SKIPPED);
    }

    @Test
    void repeatedCounter() throws Exception {
        Sealed once = raw.seal(keepAlive(1));
        raw.sendSealed(once);
        raw.sendSealed(once);
        assertRefused(PeerErrorCode.COUNTER_REPEATED);
    }

    @Test
    void recordFailingAuthentication() throws Exception {
        Sealed sealed = raw.seal(keepAlive(1));
        byte[] box = sealed.getBox().toByteArray();
        box[0] ^= 0x40;
        raw.sendSealed(sealed.toBuilder().setBox(ByteString.copyFrom(box)).build());
        assertRefused(PeerErrorCode.AUTH_FAILED);
    }

    @Test
    void finishedTwiceIsUnexpected() throws Exception {
        raw.sendRecord(SessionMessage.newBuilder().setFinished(Finished.getDefaultInstance()).build());
        assertRefused(PeerErrorCode.UNEXPECTED_MESSAGE);
    }

    @Test
    void helloInsideASessionIsUnexpected() throws Exception {
        raw.sendHello(raw.validHello().frame());
        assertRefused(PeerErrorCode.UNEXPECTED_MESSAGE);
    }

    @Test
    void oversizedFrameInASession() throws Exception {
        int tooLarge = WireFormat.FRAME_BYTES_MAX + 1;
        raw.sendRaw(new byte[] {(byte) (tooLarge >>> 24), (byte) (tooLarge >>> 16), (byte) (tooLarge >>> 8), (byte) tooLarge});
        assertRefused(PeerErrorCode.FRAME_TOO_LARGE);
    }

    @Test
    void garbageInsideAValidRecord() throws Exception {
        byte[] plain = {-1, -1, -1, -1, -1};
        raw.sendSealed(raw.sealPlaintext(plain));
        assertRefused(PeerErrorCode.MALFORMED);
    }
}
