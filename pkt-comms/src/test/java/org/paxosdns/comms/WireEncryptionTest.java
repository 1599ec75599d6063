package org.paxosdns.comms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Two nodes talking through a byte-capturing proxy. */
class WireEncryptionTest {
    private static final byte[] SECRET = "PAXOSDNS-RECOGNISABLE-PLAINTEXT-0123456789".getBytes(StandardCharsets.US_ASCII);

    @Test
    void payloadNeverAppearsInPlaintextOnTheWire() throws Exception {
        try (TestCluster cluster = TestCluster.start(2, Set.of(0), c -> c);
             CapturingProxy proxy = new CapturingProxy(cluster.address(1))) {
            cluster.overrides.put(1, proxy.address());
            cluster.startNode(0, 0);
            cluster.awaitFullMesh();
            for (int i = 0; i < 100; i++) {
                assertTrue(cluster.meshes[0].send(TestCluster.APP, 1, SECRET));
                assertTrue(cluster.meshes[1].sendBulk(TestCluster.APP, 0, SECRET));
            }
            Await.until("both sides receive", () -> cluster.collectors[1].count(0) == 100 && cluster.collectors[0].count(1) == 100);
            assertArrayEquals(SECRET, cluster.collectors[1].from(0).get(99));
            byte[] wire = proxy.captured();
            assertTrue(wire.length > 100 * SECRET.length, "the traffic went through the proxy");
            assertFalse(contains(wire, SECRET), "plaintext payload seen on the wire");
            assertFalse(contains(wire, "PAXOSDNS-RECOGNISABLE".getBytes(StandardCharsets.US_ASCII)));
        }
    }

    @Test
    void blackHoledLinkIsMarkedDownWithinTheWindowAndRecovers() throws Exception {
        try (TestCluster cluster = TestCluster.start(2, Set.of(0), c -> c);
             CapturingProxy proxy = new CapturingProxy(cluster.address(1))) {
            cluster.overrides.put(1, proxy.address());
            cluster.startNode(0, 0);
            cluster.awaitFullMesh();
            proxy.freeze();
            long frozenAt = System.nanoTime();
            Await.until("node0 marks node1 down", () -> !cluster.meshes[0].isUp(1));
            Await.until("node1 marks node0 down", () -> !cluster.meshes[1].isUp(0));
            long tookMs = Duration.ofNanos(System.nanoTime() - frozenAt).toMillis();
            assertTrue(tookMs >= TestCluster.DOWN_AFTER_MS / 2, "marked down long before the window: " + tookMs + " ms");
            assertFalse(cluster.meshes[0].send(TestCluster.APP, 1, SECRET));
            proxy.thaw();
            cluster.awaitFullMesh();
            assertTrue(cluster.meshes[0].send(TestCluster.APP, 1, SECRET));
            Await.until("node1 hears node0 again", () -> cluster.collectors[1].count(0) == 1);
            assertEquals(2, cluster.meshes[1].stats().peers().get(0).ups());
        }
    }

    @Test
    void cutConnectionIsMarkedDownAtOnceAndRedialed() throws Exception {
        try (TestCluster cluster = TestCluster.start(2, Set.of(0), c -> c);
             CapturingProxy proxy = new CapturingProxy(cluster.address(1))) {
            cluster.overrides.put(1, proxy.address());
            cluster.startNode(0, 0);
            cluster.awaitFullMesh();
            proxy.cut();
            Await.until("node1 marks node0 down", () -> cluster.meshes[1].stats().peers().get(0).downs() == 1);
            Await.until("node0 marks node1 down", () -> cluster.meshes[0].stats().peers().get(0).downs() == 1);
            Await.until("node0 redials through the proxy", () -> cluster.meshes[0].stats().peers().get(0).ups() == 2);
            cluster.awaitFullMesh();
            assertTrue(cluster.meshes[1].send(TestCluster.APP, 0, SECRET));
            Await.until("node0 hears node1 again", () -> cluster.collectors[0].count(1) == 1);
        }
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
