package org.paxosdns.comms;

import java.util.SplittableRandom;

/**
 * Capped exponential reconnect delay with jitter (each delay drawn from the upper half of the
 * current step), so peers that lost each other at the same moment do not redial in lockstep.
 */
final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private final SplittableRandom random;
    private long stepMs;

    Backoff(long initialMs, long maxMs, SplittableRandom random) {
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.random = random;
        this.stepMs = initialMs;
    }

    /** The next delay; each call doubles the step up to the cap. */
    synchronized long nextDelayMs() {
        long step = stepMs;
        stepMs = Math.min(maxMs, stepMs * 2);
        return step / 2 + random.nextLong(step / 2 + 1);
    }

    /** Back to the initial step after a connection was confirmed. */
    synchronized void reset() {
        stepMs = initialMs;
    }
}
