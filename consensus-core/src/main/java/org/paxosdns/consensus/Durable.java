package org.paxosdns.consensus;

/**
 * What the host must make durable before the messages that depend on it leave: the records an
 * engine emits in {@link Ready#persist()} and reads back, in order, when restarted.
 */
public sealed interface Durable {

    /** The acceptor promised {@code ballot}; the round is used and never reissued. */
    record Promised(Ballot ballot) implements Durable { }

    /** The acceptor accepted {@code value} at {@code slot} under {@code ballot}. */
    record Accepted(long slot, Ballot ballot, SlotValue value) implements Durable { }

    /** {@code value} was chosen at {@code slot} (learned from a peer). */
    record Learned(long slot, SlotValue value) implements Durable { }

    /** Every slot up to {@code slot} is chosen and the log holds the chosen values. */
    record ChosenThrough(long slot) implements Durable { }

    /** The node has caught up after starting without its durable state and may vote again. */
    record VoterMark() implements Durable { }

    /** Slot this record concerns, or 0 when it concerns none (records with a slot override it). */
    default long slot() {
        return 0;
    }
}
