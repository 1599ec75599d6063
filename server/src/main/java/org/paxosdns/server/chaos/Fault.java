package org.paxosdns.server.chaos;

import java.util.Set;

/**
 * One fault of a nemesis schedule: when it starts (milliseconds into the run), how long it
 * lasts, and what it does. Node indexes are roster indexes; {@link Kill#LEADER} means the node
 * that leads the key-value application when the fault starts.
 */
public sealed interface Fault {
    long atMs();

    long forMs();

    /** SIGKILL the node, start it again after {@code forMs}. */
    record Kill(long atMs, long forMs, int node) implements Fault {
        /** The target "whichever node leads", resolved when the fault starts. */
        public static final int LEADER = -1;
    }

    /** SIGSTOP the node, SIGCONT after {@code forMs}. */
    record Pause(long atMs, long forMs, int node) implements Fault {}

    /** Cut every link between {@code side} and the other nodes (one node alone: it is isolated). */
    record Partition(long atMs, long forMs, Set<Integer> side) implements Fault {}

    /** Black-hole the bytes {@code from} sends to {@code to}, while the other direction still flows. */
    record OneWay(long atMs, long forMs, int from, int to) implements Fault {}

    /** Delay both directions of the link between {@code a} and {@code b} by {@code delayMs}. */
    record Delay(long atMs, long forMs, int a, int b, long delayMs) implements Fault {}
}
