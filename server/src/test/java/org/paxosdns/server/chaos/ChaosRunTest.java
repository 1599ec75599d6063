package org.paxosdns.server.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The short chaos run CI does: three node processes, about a minute of seeded faults, every check must pass. */
final class ChaosRunTest {
    private static final long SEED = 20_261_122L;
    private static final int SECONDS = 60;

    @Test
    void aMinuteOfFaultsOnThreeNodesLosesNothing(@TempDir Path dir) throws Exception {
        ChaosReport report = ChaosRun.run(new ChaosRun.Settings(3, SECONDS, SEED, dir), System.err);
        System.err.println(report.line());
        assertTrue(report.acknowledged() > 100, "too little got done to mean anything: " + report.line());
        assertEquals(0, report.lost(), report.line());
        assertTrue(report.linearizable(), report.detail() + "\n" + report.line());
        assertTrue(report.converged(), report.line());
        assertTrue(report.monotonic(), report.line());
        assertTrue(report.passed(), report.line());
    }
}
