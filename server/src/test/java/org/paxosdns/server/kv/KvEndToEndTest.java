package org.paxosdns.server.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.paxosdns.identity.CommanderKey;
import org.paxosdns.identity.Keys;
import org.paxosdns.identity.TestKeys;
import org.paxosdns.proto.KvReply;
import org.paxosdns.server.chaos.LinearizabilityChecker;
import org.paxosdns.server.chaos.Operation;
import org.paxosdns.server.client.KvClient;
import org.paxosdns.server.client.KvOutcome;
import org.paxosdns.server.process.LocalCluster;

/**
 * The key-value application on three node processes: writes through any node, linearizable
 * reads from any node right after, compare-and-set, exactly-once retries, forged signatures,
 * both applications in {@code /v1/state}, and a concurrent history that the checker accepts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class KvEndToEndTest {
    private static final int NODES = 3;
    private static final long START_MS_MAX = 120_000;

    private LocalCluster cluster;
    private CommanderKey key;
    private final AtomicSeq seqs = new AtomicSeq();

    private static final class AtomicSeq {
        private final java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong(1);

        long next() {
            return next.getAndIncrement();
        }
    }

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        cluster = LocalCluster.prepare(dir, NODES, LocalCluster.freeBasePort(NODES), Keys.RSA_BITS_MIN);
        cluster.startAll();
        assertTrue(LocalCluster.await(START_MS_MAX, () -> IntStream.range(0, NODES).allMatch(cluster::healthy)),
                () -> "cluster not healthy:\n" + cluster.logTail(0, 30));
        key = CommanderKey.load(cluster.commanderKey(), cluster.roster());
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    private KvClient client(int node) {
        return new KvClient(cluster.roster(), key, node, KvClient.ATTEMPT_TIMEOUT_MS_DEFAULT, KvClient.OPERATION_TIMEOUT_MS_DEFAULT);
    }

    private static KvReply answered(KvOutcome outcome) {
        return assertInstanceOf(KvOutcome.Answered.class, outcome, outcome.toString()).reply();
    }

    @Test
    void aWriteThroughOneNodeIsReadAtOnceFromEveryOther() throws Exception {
        for (int writer = 0; writer < NODES; writer++) {
            try (KvClient w = client(writer)) {
                String value = "v" + writer;
                assertEquals(KvReply.Status.OK, answered(w.execute(w.builder().put(seqs.next(), "read-your-write", value))).getStatus());
            }
            for (int reader = 0; reader < NODES; reader++) {
                try (KvClient r = client(reader)) {
                    KvReply got = answered(r.execute(r.builder().get(seqs.next(), "read-your-write")));
                    assertEquals("v" + writer, got.getValue(), "node" + reader + " read after a write through node" + writer);
                }
            }
        }
    }

    @Test
    void compareAndSetSwapsOnlyOnTheExpectedValue() throws Exception {
        try (KvClient c = client(2)) {
            assertTrue(answered(c.execute(c.builder().cas(seqs.next(), "cas", null, "one"))).getSwapped());
            assertFalse(answered(c.execute(c.builder().cas(seqs.next(), "cas", "two", "three"))).getSwapped());
            assertTrue(answered(c.execute(c.builder().cas(seqs.next(), "cas", "one", "two"))).getSwapped());
            assertEquals("two", answered(c.execute(c.builder().get(seqs.next(), "cas"))).getValue());
        }
    }

    @Test
    void theSameSignedBytesThroughAnotherNodeGetTheCachedReply() throws Exception {
        try (KvClient first = client(0); KvClient second = client(1)) {
            byte[] put = first.builder().put(seqs.next(), "dedup", "once");
            KvReply done = answered(first.execute(put));
            answered(first.execute(first.builder().put(seqs.next(), "dedup", "later")));
            KvReply again = answered(second.execute(put));
            assertTrue(again.getDuplicate());
            assertEquals(done.getStateNdx(), again.getStateNdx());
            assertEquals("later", answered(second.execute(second.builder().get(seqs.next(), "dedup"))).getValue(),
                    "the retried put must not execute a second time");
        }
    }

    @Test
    void aForgedSignatureIsRefused() throws Exception {
        KvCommandBuilder forger = new KvCommandBuilder(cluster.roster().clusterId(), key.id(), TestKeys.commander(2).getPrivate());
        try (KvClient c = client(1)) {
            KvReply refused = answered(c.execute(forger.put(seqs.next(), "forged", "x")));
            assertEquals(KvReply.Status.REFUSED, refused.getStatus());
            assertTrue(refused.getMessage().contains("signature"), refused.getMessage());
            assertFalse(answered(c.execute(c.builder().get(seqs.next(), "forged"))).getFound());
        }
    }

    @Test
    void concurrentClientsOnEveryNodeMakeALinearizableHistory() throws Exception {
        List<Operation> history = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < NODES; c++) {
            int client = c;
            threads.add(new Thread(() -> runClient(client, history)));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(history.stream().filter(o -> o.outcome() == Operation.Outcome.OK).count() >= 3 * 30);
        LinearizabilityChecker.Result result = LinearizabilityChecker.check(history);
        assertTrue(result.linearizable(), result.detail());
        awaitSameDigestEverywhere();
    }

    private void runClient(int client, List<Operation> history) {
        SplittableRandom random = new SplittableRandom(client);
        try (KvClient c = client(client)) {
            for (int n = 0; n < 40; n++) {
                String k = "lin" + random.nextInt(2);
                long invoke = System.nanoTime();
                int choice = random.nextInt(3);
                String value = "c" + client + "-" + n;
                byte[] signed = choice == 0 ? c.builder().put(seqs.next(), k, value)
                        : choice == 1 ? c.builder().get(seqs.next(), k) : c.builder().cas(seqs.next(), k, "c0-" + (n - 1), value);
                KvReply r = answered(c.execute(signed));
                long complete = System.nanoTime();
                Operation.Kind kind = choice == 0 ? Operation.Kind.PUT : choice == 1 ? Operation.Kind.GET : Operation.Kind.CAS;
                String result = kind == Operation.Kind.GET ? (r.getFound() ? r.getValue() : null)
                        : kind == Operation.Kind.CAS ? Boolean.toString(r.getSwapped()) : null;
                history.add(new Operation(history.size(), client, kind, k, kind == Operation.Kind.GET ? null : value,
                        kind == Operation.Kind.CAS ? "c0-" + (n - 1) : null, invoke, complete, Operation.Outcome.OK, result));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitSameDigestEverywhere() throws InterruptedException {
        assertTrue(LocalCluster.await(30_000, () -> {
            List<Optional<String>> digests = IntStream.range(0, NODES).mapToObj(n -> cluster.state(n).map(KvEndToEndTest::kvApp)).toList();
            return digests.stream().allMatch(Optional::isPresent) && digests.stream().distinct().count() == 1;
        }), "the key-value application's stateNdx and digest differ between nodes");
    }

    /** The key-value app's "stateNdx digest" from a /v1/state body; fails when the app is not listed. */
    private static String kvApp(String stateJson) {
        for (JsonElement app : JsonParser.parseString(stateJson).getAsJsonObject().getAsJsonArray("apps")) {
            JsonObject o = app.getAsJsonObject();
            if (o.get("appNdx").getAsInt() == KvCodec.KV_APP_NDX) {
                return o.get("stateNdx").getAsString() + " " + o.get("digest").getAsString();
            }
        }
        throw new AssertionError("no key-value app in " + stateJson);
    }
}
