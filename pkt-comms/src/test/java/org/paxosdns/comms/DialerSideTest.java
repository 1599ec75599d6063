package org.paxosdns.comms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.paxosdns.identity.TestKeys;
import org.paxosdns.proto.PeerErrorCode;
import org.paxosdns.proto.PeerFrame;

/**
 * The dialer's checks, against a fake node1 that the real node0 dials: a HelloAck replayed
 * from an earlier handshake is refused, and node0 keeps its connection to node2.
 */
class DialerSideTest {
    @Test
    void replayedAckIsRefused() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, Set.of(0, 1), c -> c);
             FakeAcceptor fake = new FakeAcceptor()) {
            cluster.overrides.put(1, fake.address());
            cluster.startNode(0, 0);
            Await.until("node0 and node2 connect", () -> cluster.meshes[0].isUp(2));
            LocalNode node1 = LocalNode.of(cluster.roster, 1, TestKeys.server(1));

            fake.accept();
            PeerFrame hello = fake.read();
            assertNotNull(hello);
            Handshakes.AcceptedHello accepted = Handshakes.checkHello(node1, hello.getHello(),
                    System.currentTimeMillis(), MeshConfig.HELLO_SKEW_MS_MAX_DEFAULT);
            PeerFrame ack = WireFormat.frame()
                    .setHelloAck(Handshakes.ack(node1, accepted, new java.security.SecureRandom()).frame()).build();
            fake.send(ack);
            PeerFrame finished = fake.read();
            assertTrue(finished != null && finished.hasSealed(), "node0 accepts the genuine HelloAck and confirms");

            fake.accept(); // node0 dials again after the fake hung up
            PeerFrame secondHello = fake.read();
            assertTrue(secondHello != null && secondHello.hasHello());
            fake.send(ack);
            PeerFrame answer = fake.read();
            assertTrue(answer != null && answer.hasError(), "expected an Error, got " + answer);
            assertEquals(PeerErrorCode.REPLAYED_ACK, answer.getError().getErrCode());
            assertNull(fake.read(), "node0 closes after its Error");

            assertTrue(cluster.meshes[0].stats().rejectedHandshakes() >= 1);
            assertTrue(cluster.meshes[0].isUp(2));
            assertTrue(cluster.meshes[0].send(TestCluster.APP, 2, "still here".getBytes(StandardCharsets.UTF_8)));
            Await.until("node2 hears node0", () -> cluster.collectors[2].count(0) == 1);
        }
    }
}
