package org.paxosdns.server.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.paxosdns.proto.KvApplied;

final class SeqWindowTest {
    private static KvApplied ruling(long seq, int version) {
        return KvApplied.newBuilder().setCommanderId("c").setSeq(seq).setReply(com.google.protobuf.ByteString.copyFromUtf8("v" + version))
                .build();
    }

    /**
     * The window must rule exactly as the sorted map it replaced (replicas compare snapshots):
     * random puts in and out of order, replacements, seqs above 2^63 (unsigned order), and drops of
     * the lowest, checked against a TreeMap with the same comparator after every step.
     */
    @Test
    void behavesAsAnUnsignedSortedMap() {
        for (long seed = 1; seed <= 40; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            SeqWindow window = new SeqWindow(4);
            TreeMap<Long, KvApplied> model = new TreeMap<>(Long::compareUnsigned);
            long next = random.nextBoolean() ? 1 : -50; // -50: seqs that cross 2^64 - 1 into small numbers
            for (int step = 0; step < 3_000; step++) {
                int op = random.nextInt(10);
                long seq = op < 6 ? next++ : next - 1 - random.nextInt(40); // mostly new and rising, some late or repeated
                if (op < 8) {
                    KvApplied r = ruling(seq, step);
                    window.put(seq, r);
                    model.put(seq, r);
                } else if (!model.isEmpty()) {
                    window.removeFirst();
                    model.pollFirstEntry();
                }
                while (model.size() > 64) {
                    window.removeFirst();
                    model.pollFirstEntry();
                }
                assertEquals(model.size(), window.size(), "seed " + seed + " step " + step);
                assertEquals(new ArrayList<>(model.values()), window.inOrder(), "seed " + seed + " step " + step);
                if (!model.isEmpty()) {
                    assertEquals(model.firstKey().longValue(), window.firstSeq());
                }
                long probe = next - random.nextInt(80);
                assertEquals(model.get(probe), window.get(probe), "get " + probe);
            }
        }
    }

    @Test
    void anEmptyWindowHoldsNothingAndHasNoFirst() {
        SeqWindow window = new SeqWindow(2);
        assertNull(window.get(1));
        assertThrows(IllegalStateException.class, window::firstSeq);
        assertThrows(IllegalStateException.class, window::removeFirst);
    }
}
