package org.paxosdns.server.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

final class NemesisScheduleTest {
    @Test
    void theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
        assertEquals(NemesisSchedule.generate(7, 5, 120), NemesisSchedule.generate(7, 5, 120));
        assertNotEquals(NemesisSchedule.generate(7, 5, 120), NemesisSchedule.generate(8, 5, 120));
    }

    @Test
    void everyKindOfFaultAppearsAndStaysInsideTheRun() {
        List<Fault> faults = NemesisSchedule.generate(11, 5, 300);
        for (Class<?> kind : List.of(Fault.Kill.class, Fault.Pause.class, Fault.Partition.class, Fault.OneWay.class, Fault.Delay.class)) {
            assertTrue(faults.stream().anyMatch(kind::isInstance), "no " + kind.getSimpleName());
        }
        assertTrue(faults.stream().anyMatch(f -> f instanceof Fault.Kill k && k.node() == Fault.Kill.LEADER));
        for (Fault f : faults) {
            assertTrue(f.atMs() >= NemesisSchedule.QUIET_START_MS && f.atMs() < 300_000 && f.forMs() >= NemesisSchedule.LENGTH_MS_MIN, f.toString());
        }
    }

    @Test
    void killsAndPausesNeverTakeDownMoreThanAMinority() {
        for (int nodes : new int[] {3, 5}) {
            for (long seed = 0; seed < 20; seed++) {
                List<Fault> faults = NemesisSchedule.generate(seed, nodes, 120);
                for (long t = 0; t < 125_000; t += 50) {
                    long moment = t;
                    long down = faults.stream().filter(f -> f instanceof Fault.Kill || f instanceof Fault.Pause)
                            .filter(f -> f.atMs() <= moment && moment < f.atMs() + f.forMs()).count();
                    assertTrue(down <= (nodes - 1) / 2, "seed " + seed + ", " + nodes + " nodes: " + down + " down at " + t + " ms");
                }
            }
        }
    }

    @Test
    void failoverPercentilesAreNearestRank() {
        List<Long> samples = List.of(900L, 100L, 300L, 200L);
        assertEquals(200L, Failover.percentile(samples, 50));
        assertEquals(900L, Failover.percentile(samples, 99));
        assertEquals(null, Failover.percentile(List.of(), 50));
    }
}
