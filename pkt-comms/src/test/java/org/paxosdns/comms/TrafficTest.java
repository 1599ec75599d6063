package org.paxosdns.comms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TrafficTest {
    @Test
    void keysAreRenewedMidSessionWithoutLosingMessages() throws Exception {
        try (TestCluster cluster = TestCluster.start(2, Set.of(), c -> c.withKeyLimits(16, 4_096))) {
            cluster.awaitFullMesh();
            int messages = 2_000;
            for (int seq = 0; seq < messages; seq++) {
                assertTrue(cluster.meshes[0].send(TestCluster.APP, 1, MeshFormationTest.message(0, 1, seq)));
                assertTrue(cluster.meshes[1].send(TestCluster.APP, 0, MeshFormationTest.message(1, 0, seq)));
            }
            Await.until("all arrive", () -> cluster.collectors[1].count(0) == messages
                    && cluster.collectors[0].count(1) == messages);
            List<byte[]> got = cluster.collectors[1].from(0);
            for (int seq = 0; seq < messages; seq++) {
                assertArrayEquals(MeshFormationTest.message(0, 1, seq), got.get(seq));
            }
            assertTrue(cluster.meshes[0].stats().keyRenewals() > 2, "keys ratcheted: " + cluster.meshes[0].stats());
            assertEquals(1, cluster.meshes[0].stats().peers().get(0).ups(), "one session throughout");
        }
    }

    @Test
    void consensusMessagesOvertakeQueuedBulk() throws Exception {
        int bulkMessages = 30;
        byte[] chunk = new byte[1 << 20]; // a large message: 1 MiB
        byte[] urgent = "accept!".getBytes();
        try (TestCluster cluster = TestCluster.start(2, Set.of(0), c -> c);
             CapturingProxy proxy = new CapturingProxy(cluster.address(1))) {
            cluster.overrides.put(1, proxy.address());
            cluster.startNode(0, 0);
            cluster.awaitFullMesh();
            proxy.freeze(); // hold the link so the queue order, not timing, decides
            for (int i = 0; i < bulkMessages; i++) {
                assertTrue(cluster.meshes[0].sendBulk(TestCluster.APP, 1, chunk));
            }
            assertTrue(cluster.meshes[0].send(TestCluster.APP, 1, urgent));
            proxy.thaw();
            Await.until("everything arrives", () -> cluster.collectors[1].count(0) == bulkMessages + 1);
            List<byte[]> order = cluster.collectors[1].from(0);
            int urgentAt = -1;
            for (int i = 0; i < order.size(); i++) {
                if (order.get(i).length == urgent.length) {
                    urgentAt = i;
                }
            }
            assertTrue(urgentAt >= 0 && urgentAt < bulkMessages / 2,
                    "the consensus message waited behind " + urgentAt + " bulk chunks");
        }
    }

    @Test
    void fullQueueDropsInsteadOfBlocking() throws Exception {
        try (TestCluster cluster = TestCluster.start(2, Set.of(0), c -> c.withQueues(4, 1 << 20, 2, 1 << 20));
             CapturingProxy proxy = new CapturingProxy(cluster.address(1))) {
            cluster.overrides.put(1, proxy.address());
            cluster.startNode(0, 0);
            cluster.awaitFullMesh();
            proxy.freeze();
            byte[] big = new byte[512 * 1024];
            int accepted = 0;
            for (int i = 0; i < 50; i++) {
                accepted += cluster.meshes[0].sendBulk(TestCluster.APP, 1, big) ? 1 : 0;
            }
            proxy.thaw();
            assertTrue(accepted < 50, "some bulk sends were refused");
            assertEquals(50 - accepted, cluster.meshes[0].stats().peers().get(0).dropped());
            assertThrows(IllegalArgumentException.class,
                    () -> cluster.meshes[0].send(TestCluster.APP, 1, new byte[WireFormat.APP_CONTENTS_BYTES_MAX + 1]));
        }
    }

    @Test
    void everyReadThatDeliveredEndsWithOnReadCompleteOnTheSameThread() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        try (TestCluster cluster = TestCluster.start(2)) {
            cluster.awaitFullMesh();
            cluster.meshes[1].register(TestCluster.APP, new AppHandler() {
                @Override
                public void onMessage(int fromIndex, byte[] contents) {
                    events.add("message " + Thread.currentThread().getName());
                }

                @Override
                public void onReadComplete() {
                    events.add("complete " + Thread.currentThread().getName());
                }
            });
            int messages = 500;
            for (int seq = 0; seq < messages; seq++) {
                assertTrue(cluster.meshes[0].send(TestCluster.APP, 1, MeshFormationTest.message(0, 1, seq)));
            }
            Await.until("every message and then a completion", () -> events.stream().filter(e -> e.startsWith("message")).count()
                    == messages && events.get(events.size() - 1).startsWith("complete"));
            String previousMessageThread = null;
            for (String event : events) {
                String thread = event.substring(event.indexOf(' ') + 1);
                if (event.startsWith("message")) {
                    previousMessageThread = thread;
                } else {
                    assertEquals(previousMessageThread, thread, "a completion on the thread of the read: " + events);
                    previousMessageThread = null;
                }
            }
        }
    }

    @Test
    void sendQueuedNowWritesBeforeAnEventLoopHandlerReturns() throws Exception {
        byte[] reply = "accepted".getBytes();
        AtomicBoolean replyArrivedWhileHandlerBlocked = new AtomicBoolean();
        try (TestCluster cluster = TestCluster.start(2)) {
            cluster.awaitFullMesh();
            cluster.meshes[1].register(TestCluster.APP, (from, contents) -> {
                cluster.meshes[1].send(TestCluster.APP, from, reply);
                cluster.meshes[1].sendQueuedNow();
                // Stands for a log force: the loop is busy here. Without sendQueuedNow the reply would
                // wait in its queue until this handler returns, and this wait would run out.
                long deadline = System.nanoTime() + Await.DEFAULT.toNanos();
                while (cluster.collectors[0].count(1) == 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                replyArrivedWhileHandlerBlocked.set(cluster.collectors[0].count(1) == 1);
            });
            assertTrue(cluster.meshes[0].send(TestCluster.APP, 1, "accept".getBytes()));
            Await.until("the reply", () -> cluster.collectors[0].count(1) == 1);
            Await.until("the handler returned", replyArrivedWhileHandlerBlocked::get);
            assertArrayEquals(reply, cluster.collectors[0].from(1).get(0));
        }
    }
}
