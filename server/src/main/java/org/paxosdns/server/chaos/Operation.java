package org.paxosdns.server.chaos;

import java.util.Objects;

/**
 * One client operation of a history: what was asked, when it was invoked, when its answer
 * arrived, and the answer. An operation whose outcome is unknown (timed out, connection lost)
 * may or may not have taken effect at any time after its invocation.
 */
public record Operation(int id, int client, Kind kind, String key, String value, String expected,
                        long invokeNanos, long completeNanos, Outcome outcome, String result) {
    /** What the operation asked of the register. */
    public enum Kind { PUT, GET, CAS }

    /** How the client saw it end. */
    public enum Outcome {
        /** Acknowledged: it took effect exactly once, between invocation and completion. */
        OK,
        /** Definitely refused: it took no effect. */
        FAIL,
        /** No answer: it took effect once or not at all, at any time after invocation. */
        UNKNOWN
    }

    public Operation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(outcome, "outcome");
        if (outcome != Outcome.UNKNOWN && completeNanos < invokeNanos) {
            throw new IllegalArgumentException("operation " + id + " completes before it is invoked");
        }
    }
}
