package org.paxosdns.server.chaos;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.paxosdns.server.chaos.Operation.Kind;
import org.paxosdns.server.chaos.Operation.Outcome;

final class LinearizabilityCheckerTest {
    private final List<Operation> history = new ArrayList<>();

    private void put(long from, long to, String value) {
        add(Kind.PUT, from, to, value, null, Outcome.OK, null);
    }

    private void get(long from, long to, String result) {
        add(Kind.GET, from, to, null, null, Outcome.OK, result);
    }

    private void add(Kind kind, long from, long to, String value, String expected, Outcome outcome, String result) {
        history.add(new Operation(history.size(), history.size(), kind, "k", value, expected, from, to, outcome, result));
    }

    private boolean linearizable() {
        return LinearizabilityChecker.check(history).linearizable();
    }

    @Test
    void sequentialHistoryIsLinearizable() {
        put(0, 1, "a");
        get(2, 3, "a");
        put(4, 5, "b");
        get(6, 7, "b");
        assertTrue(linearizable());
    }

    @Test
    void staleReadAfterCompletedWriteIsNot() {
        put(0, 1, "a");
        put(2, 3, "b");
        get(4, 5, "a");
        assertFalse(linearizable());
    }

    @Test
    void concurrentReadMaySeeEitherValue() {
        put(0, 1, "a");
        put(2, 10, "b");
        get(3, 4, "a");
        get(5, 6, "b");
        assertTrue(linearizable());
    }

    @Test
    void readsMayNotGoBackInTime() {
        put(0, 1, "a");
        put(2, 10, "b");
        get(3, 4, "b");
        get(5, 6, "a");
        assertFalse(linearizable());
    }

    @Test
    void readOfNeverWrittenValueIsNot() {
        put(0, 1, "a");
        get(2, 3, "z");
        assertFalse(linearizable());
    }

    @Test
    void unknownWriteMayOrMayNotHaveHappened() {
        put(0, 1, "a");
        add(Kind.PUT, 2, 3, "b", null, Outcome.UNKNOWN, null);
        get(4, 5, "a");
        assertTrue(linearizable());
        get(6, 7, "b");
        assertTrue(linearizable(), "the unknown write may take effect late");
        get(8, 9, "a");
        assertFalse(linearizable(), "but only once");
    }

    @Test
    void failedWritesTookNoEffect() {
        put(0, 1, "a");
        add(Kind.PUT, 2, 3, "b", null, Outcome.FAIL, null);
        get(4, 5, "b");
        assertFalse(linearizable());
    }

    @Test
    void compareAndSetFollowsTheRegister() {
        put(0, 1, "a");
        add(Kind.CAS, 2, 3, "b", "a", Outcome.OK, "true");
        add(Kind.CAS, 4, 5, "c", "a", Outcome.OK, "false");
        get(6, 7, "b");
        assertTrue(linearizable());
        add(Kind.CAS, 8, 9, "d", "a", Outcome.OK, "true");
        assertFalse(linearizable(), "CAS from a stale expected value cannot succeed");
    }

    @Test
    void twoSuccessfulCompareAndSetsFromOneValueCannotBothWin() {
        put(0, 1, "a");
        add(Kind.CAS, 2, 10, "b", "a", Outcome.OK, "true");
        add(Kind.CAS, 3, 11, "c", "a", Outcome.OK, "true");
        assertFalse(linearizable());
    }

    @Test
    void keysAreIndependent() {
        history.add(new Operation(0, 0, Kind.PUT, "x", "1", null, 0, 1, Outcome.OK, null));
        history.add(new Operation(1, 1, Kind.GET, "y", null, null, 2, 3, Outcome.OK, null));
        history.add(new Operation(2, 2, Kind.GET, "x", null, null, 4, 5, Outcome.OK, "1"));
        assertTrue(linearizable());
    }

    @Test
    void largeConcurrentLinearizableHistoryIsDecided() {
        // A simulated atomic register: each op takes effect at a random point inside its window.
        Random random = new Random(42);
        String value = null;
        long clock = 0;
        List<long[]> windows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            clock += 1 + random.nextInt(3);
            long from = clock - random.nextInt(5);
            long to = clock + random.nextInt(5);
            if (random.nextBoolean()) {
                value = "v" + i;
                put(Math.max(0, from), to, value);
            } else {
                get(Math.max(0, from), to, value);
            }
            windows.add(new long[] {from, to});
        }
        assertTrue(LinearizabilityChecker.check(history).linearizable());
    }
}
