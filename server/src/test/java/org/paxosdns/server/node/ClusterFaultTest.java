package org.paxosdns.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.paxosdns.server.client.PublishOutcome;
import org.paxosdns.zonestore.blob.ContentHash;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Issue 4 under faults: a corrupt blob on disk, and SIGKILL of the leader in the middle of publishing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class ClusterFaultTest {
    private static final int NODES = 3;

    private ClusterFixture fx;
    private Path dir;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        fx = ClusterFixture.start(dir, NODES, List.of());
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    @Order(1)
    void corruptBlobIsNeverServedAndIsRecoveredFromAPeer() throws Exception {
        String text = ClusterFixture.zone("c.test.", 1, "192.0.2.10");
        assertTrue(fx.publish("c.test.", text) instanceof PublishOutcome.Done);
        fx.awaitTrue("served everywhere", () -> IntStream.range(0, NODES)
                .allMatch(i -> fx.answer(i, "www.c.test.", Type.A, false).equals(Optional.of("192.0.2.10"))));

        fx.cluster.node(2).stop();
        ContentHash hash = ContentHash.of(text.getBytes(StandardCharsets.UTF_8));
        Path blob = dir.resolve("node2/data/blobs").resolve(hash.toHex().substring(0, 2)).resolve(hash.toHex());
        assertTrue(Files.exists(blob), "node2 stored the blob at " + blob);
        Files.writeString(blob, text.replace("192.0.2.10", "192.0.2.66")); // same length, wrong bytes
        fx.cluster.node(2).start();

        AtomicBoolean corruptServed = new AtomicBoolean();
        fx.awaitTrue("node2 serves the right version again", () -> {
            Optional<String> a = fx.answer(2, "www.c.test.", Type.A, false);
            corruptServed.compareAndSet(false, a.equals(Optional.of("192.0.2.66")));
            return a.equals(Optional.of("192.0.2.10"));
        });
        assertFalse(corruptServed.get(), "the corrupt copy was never served");
        assertEquals(hash, ContentHash.of(Files.readAllBytes(blob)), "the blob on disk was replaced by a verified copy");
    }

    private int leader() throws InterruptedException {
        int[] found = {-1};
        fx.awaitTrue("a leader", () -> {
            for (int i = 0; i < NODES; i++) {
                if (fx.cluster.node(i).isAlive() && fx.role(i).equals(Optional.of("leader"))) {
                    found[0] = i;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    @Test
    @Order(2)
    void killingTheLeaderDuringAPublishLoopLosesNoAcknowledgedPublish() throws Exception {
        int victim = leader();
        List<Long> acknowledged = new ArrayList<>();
        long serial = 100;
        boolean killed = false;
        while (acknowledged.size() < 20 || !killed) {
            serial++;
            PublishOutcome outcome = fx.publish("k.test.", ClusterFixture.zone("k.test.", serial, "192.0.2." + (serial % 250)));
            if (outcome instanceof PublishOutcome.Done) {
                acknowledged.add(serial);
            }
            if (!killed && acknowledged.size() >= 5) {
                fx.cluster.node(victim).kill(); // SIGKILL, mid-loop
                killed = true;
            }
        }
        assertTrue(acknowledged.size() >= 20);
        int newLeader = leader();
        assertTrue(newLeader != victim, "another node leads after the kill");
        fx.cluster.node(victim).start();
        long last = acknowledged.get(acknowledged.size() - 1);
        fx.awaitTrue("every node, the restarted one too, serves the last acknowledged serial", () -> IntStream.range(0, NODES)
                .allMatch(i -> fx.dig(i, "k.test.", Type.SOA, false)
                        .filter(m -> m.getRcode() == Rcode.NOERROR)
                        .map(m -> ((org.xbill.DNS.SOARecord) m.getSection(org.xbill.DNS.Section.ANSWER).get(0)).getSerial() >= last)
                        .orElse(false)));
        fx.awaitTrue("stateNdx converged", () -> IntStream.range(0, NODES).allMatch(i -> fx.stateNdx(i) == fx.stateNdx(newLeader)));
    }
}
