package org.paxosdns.comms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MeshFormationTest {
    private static final int MESSAGES = 500;

    @ParameterizedTest
    @ValueSource(ints = {3, 5})
    void meshFormsAndMessagesFlowBothWaysInOrder(int n) throws Exception {
        try (TestCluster cluster = TestCluster.start(n)) {
            cluster.awaitFullMesh();
            for (int i = 0; i < n; i++) {
                assertTrue(cluster.meshes[i].isQuorate());
            }
            for (int seq = 0; seq < MESSAGES; seq++) {
                for (int from = 0; from < n; from++) {
                    for (int to = 0; to < n; to++) {
                        if (from != to) {
                            assertTrue(cluster.meshes[from].send(TestCluster.APP, to, message(from, to, seq)));
                        }
                    }
                }
            }
            for (int to = 0; to < n; to++) {
                for (int from = 0; from < n; from++) {
                    if (from == to) {
                        continue;
                    }
                    int a = from;
                    int b = to;
                    Await.until("node" + b + " gets all from node" + a,
                            () -> cluster.collectors[b].count(a) == MESSAGES);
                    List<byte[]> got = cluster.collectors[b].from(a);
                    for (int seq = 0; seq < MESSAGES; seq++) {
                        assertArrayEquals(message(a, b, seq), got.get(seq), "message " + seq + " from " + a + " to " + b);
                    }
                }
            }
            MeshStats stats = cluster.meshes[0].stats();
            assertEquals((long) MESSAGES * (n - 1), stats.sent());
            assertEquals(0, stats.dropped());
        }
    }

    @Test
    void closedPeerGoesDownAndComesBack() throws Exception {
        try (TestCluster cluster = TestCluster.start(3)) {
            cluster.awaitFullMesh();
            Collector downs = new Collector();
            cluster.meshes[0].addPeerListener(new PeerListener() {
                @Override
                public void peerUp(int index) {
                    downs.onMessage(index, new byte[] {1});
                }

                @Override
                public void peerDown(int index) {
                    downs.onMessage(index, new byte[] {0});
                }
            });
            cluster.stop(2);
            Await.until("node0 sees node2 down", () -> !cluster.meshes[0].isUp(2));
            Await.until("node1 sees node2 down", () -> !cluster.meshes[1].isUp(2));
            assertTrue(cluster.meshes[0].isQuorate(), "two of three are a quorum");
            assertFalse(cluster.meshes[0].send(TestCluster.APP, 2, new byte[] {9}), "send to a down peer is dropped");
            assertEquals(1, cluster.meshes[0].stats().peers().get(1).dropped());

            cluster.stop(1);
            Await.until("node0 sees node1 down", () -> !cluster.meshes[0].isUp(1));
            assertFalse(cluster.meshes[0].isQuorate(), "one of three is not a quorum");

            cluster.restart(1);
            cluster.restart(2);
            cluster.awaitFullMesh();
            assertTrue(cluster.meshes[0].isQuorate());
            assertTrue(cluster.meshes[2].send(TestCluster.APP, 0, "back".getBytes()));
            Await.until("node0 hears node2 again", () -> cluster.collectors[0].count(2) == 1);
            assertTrue(downs.messages.stream().anyMatch(m -> m.from() == 2 && m.contents()[0] == 0));
            assertTrue(downs.messages.stream().anyMatch(m -> m.from() == 2 && m.contents()[0] == 1));
        }
    }

    @Test
    void byeClosesCleanlyOnBothSides() throws Exception {
        try (TestCluster cluster = TestCluster.start(2, Set.of(), c -> c)) {
            cluster.awaitFullMesh();
            cluster.stop(0);
            Await.until("node1 sees node0 down", () -> !cluster.meshes[1].isUp(0));
            MeshStats stats = cluster.meshes[1].stats();
            assertEquals(0, stats.sessionErrors(), "a Bye is not an error");
            assertEquals(0, stats.errorsFromPeers());
            assertEquals(1, stats.peers().get(0).downs());
        }
    }

    @Test
    void startRefusesABusyPortAndForeignKeys() throws Exception {
        try (TestCluster cluster = TestCluster.start(2, Set.of(0), c -> c)) {
            IllegalStateException busy = assertThrows(IllegalStateException.class,
                    () -> Mesh.start(cluster.config(0, cluster.ports[1])));
            assertTrue(busy.getMessage().contains("cannot listen"), busy.getMessage());
            MeshConfig wrongKeys = MeshConfig.defaults(cluster.roster, 0, org.paxosdns.identity.TestKeys.server(1),
                    new java.net.InetSocketAddress("127.0.0.1", 0));
            assertThrows(IllegalArgumentException.class, () -> Mesh.start(wrongKeys));
        }
    }

    static byte[] message(int from, int to, int seq) {
        return ByteBuffer.allocate(12 + seq % 200).putInt(from).putInt(to).putInt(seq).array();
    }
}
