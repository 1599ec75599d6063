package org.paxosdns.consensus;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.EnumSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Proves the simulator's checker catches real protocol bugs: each deliberately broken engine
 * behaviour, on a committed seed known to expose it, must be reported as a violation. A change to
 * the engine changes every seed's trajectory: if one of these stops failing, find new seeds by
 * running each fault over seeds 1..2500 and keep the first ones that report a violation.
 */
class SimCheckerTeethTest {

    @ParameterizedTest
    @CsvSource({
        "FORGET_PROMISE_ON_RESTART, 386",
        "FORGET_PROMISE_ON_RESTART, 1512",
        "SKIP_ADOPTING_ACCEPTED, 6",
        "SKIP_ADOPTING_ACCEPTED, 14",
        "APPLY_WITHOUT_BALLOT_CHECK, 1",
        "APPLY_WITHOUT_BALLOT_CHECK, 3",
    })
    void brokenEngineIsCaught(Fault fault, long seed) {
        SimCluster.Result r = new SimCluster(seed, seed % 2 == 0 ? 3 : 5, EnumSet.of(fault), false).run();
        assertFalse(r.violations().isEmpty(), fault + " on seed " + seed + " went unnoticed");
        System.out.println("caught " + fault + " (seed " + seed + "): " + r.violations().get(0));
    }
}
