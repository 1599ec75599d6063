package org.paxosdns.comms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.paxosdns.identity.TestKeys;
import org.paxosdns.proto.PeerErrorCode;

/** Inbound handshakes beyond the per-source bucket are refused before any RSA work. */
class HandshakeRateLimitTest {
    @Test
    void connectionsBeyondTheBurstAreRefused() throws Exception {
        // node1's bucket holds 3 tokens and refills one per 1000 s: the node2 link never needs one.
        try (TestCluster cluster = TestCluster.start(3, Set.of(0), c -> c.withHandshakeRate(0.001, 3))) {
            cluster.awaitFullMesh();
            for (int i = 0; i < 3; i++) {
                try (RawPeer raw = RawPeer.connect(cluster.address(1), cluster.roster, 0, TestKeys.server(0), 1)) {
                    raw.sendRaw(new byte[] {0, 0, 0, 1, -1}); // refused as malformed, but it spent a token
                    assertEquals(PeerErrorCode.MALFORMED, raw.awaitError());
                }
            }
            try (RawPeer raw = RawPeer.connect(cluster.address(1), cluster.roster, 0, TestKeys.server(0), 1)) {
                assertEquals(PeerErrorCode.RATE_LIMITED, raw.awaitError());
                assertTrue(raw.closedByPeer());
            }
            assertTrue(cluster.meshes[1].isUp(2));
        }
    }
}
