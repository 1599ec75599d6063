package org.paxosdns.comms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.paxosdns.identity.ServerKeys;
import org.paxosdns.identity.TestKeys;
import org.paxosdns.proto.PeerErrorCode;
import org.paxosdns.proto.SignedHello;
import org.paxosdns.proto.SignedHelloAck;

/**
 * Every way a handshake can be wrong, each forged by a raw client playing node0 against the
 * real node1 of a three-node roster whose node1 and node2 are running: the mesh answers with
 * the right Error, closes, and node1 and node2 keep talking.
 */
class HandshakeRejectionTest {
    private TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = TestCluster.start(3, Set.of(0), c -> c.withTimers(100, 1_500, 2_000, 20, 400));
        cluster.awaitFullMesh();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private RawPeer raw() throws IOException {
        return raw(0, TestKeys.server(0));
    }

    private RawPeer raw(int asIndex, ServerKeys keys) throws IOException {
        return RawPeer.connect(cluster.address(1), cluster.roster, asIndex, keys, 1);
    }

    private void assertRefused(RawPeer raw, PeerErrorCode expected) throws IOException {
        assertEquals(expected, raw.awaitError());
        assertTrue(raw.closedByPeer(), "the mesh closes after its Error");
        assertTrue(cluster.meshes[1].stats().rejectedHandshakes() >= 1);
        assertMeshStillWorks();
    }

    private void assertMeshStillWorks() {
        assertTrue(cluster.meshes[1].isUp(2) && cluster.meshes[2].isUp(1), "node1-node2 connection undisturbed");
        long before = cluster.collectors[2].count(1);
        assertTrue(cluster.meshes[1].send(TestCluster.APP, 2, "still here".getBytes(StandardCharsets.UTF_8)));
        Await.until("node2 hears node1", () -> cluster.collectors[2].count(1) == before + 1);
        assertEquals(1, cluster.meshes[1].stats().peers().get(1).ups(), "node1-node2 never went down");
    }

    @Test
    void validHandshakeSucceeds() throws Exception {
        try (RawPeer raw = raw()) {
            raw.handshake();
            Await.until("node1 sees node0 up", () -> cluster.meshes[1].isUp(0));
        }
        Await.until("node1 sees node0 down after the close", () -> !cluster.meshes[1].isUp(0));
    }

    @Test
    void newConnectionReplacesTheOldOnlyAfterItsFinished() throws Exception {
        try (RawPeer first = raw(); RawPeer second = raw()) {
            first.handshake();
            Await.until("node1 sees node0 up", () -> cluster.meshes[1].isUp(0));
            byte[] transcript = second.beginHandshake();
            assertTrue(cluster.meshes[1].send(TestCluster.APP, 0, "to the first".getBytes(StandardCharsets.UTF_8)));
            assertEquals("to the first", new String(first.awaitAppMsg(), StandardCharsets.UTF_8),
                    "an unconfirmed connection replaces nothing");
            second.confirm(transcript);
            assertTrue(first.closedByPeer(), "the old connection is closed once the new one is confirmed");
            assertTrue(cluster.meshes[1].send(TestCluster.APP, 0, "to the second".getBytes(StandardCharsets.UTF_8)));
            assertEquals("to the second", new String(second.awaitAppMsg(), StandardCharsets.UTF_8));
            assertEquals(1, cluster.meshes[1].stats().peers().get(0).ups(), "node0 stayed up throughout");
            assertEquals(0, cluster.meshes[1].stats().peers().get(0).downs());
        }
    }

    @Test
    void wrongClusterId() throws Exception {
        byte[] otherCluster = new byte[32];
        otherCluster[0] = 1;
        try (RawPeer raw = raw()) {
            raw.sendHello(raw.forgedHello(h -> h.setClusterId(ByteString.copyFrom(otherCluster)),
                    TestKeys.server(0).signing().getPrivate(), otherCluster));
            assertRefused(raw, PeerErrorCode.WRONG_CLUSTER);
        }
    }

    @Test
    void unknownNodeId() throws Exception {
        ServerKeys stranger = TestKeys.server(4);
        try (RawPeer raw = raw()) {
            raw.sendHello(raw.forgedHello(h -> h
                            .setId(ByteString.copyFrom(stranger.nodeId().toBytes()))
                            .setSigPubKey(ByteString.copyFrom(stranger.signing().getPublic().getEncoded()))
                            .setCommsPubKey(ByteString.copyFrom(stranger.comms().getPublic().getEncoded())),
                    stranger.signing().getPrivate(), cluster.roster.clusterId()));
            assertRefused(raw, PeerErrorCode.UNKNOWN_NODE);
        }
    }

    @Test
    void signingKeyNotMatchingTheNodeId() throws Exception {
        ServerKeys stranger = TestKeys.server(4);
        try (RawPeer raw = raw()) {
            raw.sendHello(raw.forgedHello(
                    h -> h.setSigPubKey(ByteString.copyFrom(stranger.signing().getPublic().getEncoded())),
                    stranger.signing().getPrivate(), cluster.roster.clusterId()));
            assertRefused(raw, PeerErrorCode.KEY_MISMATCH);
        }
    }

    @Test
    void commsKeyNotTheRostersOne() throws Exception {
        ServerKeys stranger = TestKeys.server(4);
        try (RawPeer raw = raw()) {
            raw.sendHello(raw.forgedHello(
                    h -> h.setCommsPubKey(ByteString.copyFrom(stranger.comms().getPublic().getEncoded()))));
            assertRefused(raw, PeerErrorCode.KEY_MISMATCH);
        }
    }

    @Test
    void badSignature() throws Exception {
        try (RawPeer raw = raw()) {
            SignedHello valid = raw.validHello().frame();
            byte[] sig = valid.getDigSig().toByteArray();
            sig[sig.length / 2] ^= 0x01;
            raw.sendHello(valid.toBuilder().setDigSig(ByteString.copyFrom(sig)).build());
            assertRefused(raw, PeerErrorCode.BAD_SIGNATURE);
        }
    }

    @Test
    void signatureByAnotherKey() throws Exception {
        try (RawPeer raw = raw()) {
            raw.sendHello(raw.forgedHello(h -> { }, TestKeys.server(2).signing().getPrivate(), cluster.roster.clusterId()));
            assertRefused(raw, PeerErrorCode.BAD_SIGNATURE);
        }
    }

    @Test
    void msgNNotOne() throws Exception {
        try (RawPeer raw = raw()) {
            raw.sendHello(raw.forgedHello(h -> h.setMsgN(2)));
            assertRefused(raw, PeerErrorCode.BAD_MSG_N);
        }
    }

    @Test
    void helloForAnotherNode() throws Exception {
        try (RawPeer raw = raw()) {
            raw.sendHello(raw.forgedHello(h -> h.setYourId(ByteString.copyFrom(TestKeys.server(2).nodeId().toBytes()))));
            assertRefused(raw, PeerErrorCode.NOT_FOR_ME);
        }
    }

    @Test
    void higherIndexMustNotDial() throws Exception {
        try (RawPeer raw = raw(2, TestKeys.server(2))) {
            raw.sendHello(raw.validHello().frame());
            assertRefused(raw, PeerErrorCode.WRONG_DIRECTION);
        }
    }

    @Test
    void staleHello() throws Exception {
        try (RawPeer raw = raw()) {
            raw.sendHello(raw.forgedHello(h -> h.setTimeMs(System.currentTimeMillis()
                    - 2 * MeshConfig.HELLO_SKEW_MS_MAX_DEFAULT)));
            assertRefused(raw, PeerErrorCode.STALE_HELLO);
        }
    }

    @Test
    void replayedHello() throws Exception {
        SignedHello captured;
        try (RawPeer first = raw()) {
            first.handshake();
            captured = first.lastHello().frame();
            Await.until("node1 sees node0 up", () -> cluster.meshes[1].isUp(0));
        }
        Await.until("node1 sees node0 down", () -> !cluster.meshes[1].isUp(0));
        try (RawPeer replay = raw()) {
            replay.sendHello(captured);
            assertRefused(replay, PeerErrorCode.REPLAYED_HELLO);
        }
    }

    @Test
    void unexpectedFirstMessage() throws Exception {
        try (RawPeer raw = raw()) {
            raw.send(WireFormat.frame().setHelloAck(SignedHelloAck.newBuilder()
                    .setHelloAck(ByteString.copyFromUtf8("not an ack"))).build());
            assertRefused(raw, PeerErrorCode.UNEXPECTED_MESSAGE);
        }
    }

    @Test
    void oversizedFrame() throws Exception {
        try (RawPeer raw = raw()) {
            raw.sendRaw(new byte[] {0, 0, (byte) 0x20, 1}); // 8 KiB + 1, over the handshake limit
            assertRefused(raw, PeerErrorCode.FRAME_TOO_LARGE);
        }
    }

    @Test
    void garbageBytes() throws Exception {
        try (RawPeer raw = raw()) {
            raw.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertRefused(raw, PeerErrorCode.FRAME_TOO_LARGE);
        }
    }

    @Test
    void garbageBodyInASmallFrame() throws Exception {
        try (RawPeer raw = raw()) {
            raw.sendRaw(new byte[] {0, 0, 0, 8, -1, -1, -1, -1, -1, -1, -1, -1});
            assertRefused(raw, PeerErrorCode.MALFORMED);
        }
    }

    @Test
    void silencePastTheHandshakeDeadline() throws Exception {
        try (RawPeer raw = raw()) {
            assertRefused(raw, PeerErrorCode.HANDSHAKE_TIMEOUT);
        }
    }
}
