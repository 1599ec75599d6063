package org.paxosdns.consensus;

import java.util.List;

/**
 * What the host must do for an engine, in this order:
 * <ol>
 *   <li>send {@link #sendNow()} (may go before anything is durable);</li>
 *   <li>append {@link #persist()} to stable storage and force it (one fsync for the batch);</li>
 *   <li>only then send {@link #sendAfterPersist()} (promises, accepted replies, prepares: they
 *       vouch for what was just persisted);</li>
 *   <li>if {@link #snapshot()} is not null, restore the state machine from it;</li>
 *   <li>apply {@link #committed()} in order (slots follow the snapshot's, consecutively);</li>
 *   <li>call {@link PaxosEngine#advance(Ready)} with this object.</li>
 * </ol>
 * The engine hands out one Ready at a time; the next comes only after advance. A host may apply
 * {@link #committed()} before step 2 when there is no snapshot: chosen values are already durable
 * on a majority, so applying (and answering) them does not wait for this node's own force; the
 * host must still force {@link #persist()} before step 3 whenever it holds more than chosen marks.
 */
public record Ready(List<Durable> persist, List<Outbound> sendNow, List<Outbound> sendAfterPersist,
        Snapshot snapshot, List<Committed> committed) {

    public Ready {
        persist = List.copyOf(persist);
        sendNow = List.copyOf(sendNow);
        sendAfterPersist = List.copyOf(sendAfterPersist);
        committed = List.copyOf(committed);
    }

    /** A message for the node with index {@code to}. */
    public record Outbound(int to, Message message) { }

    /** A chosen slot to apply. */
    public record Committed(long slot, SlotValue value) { }

    /** True when the host must persist and force before sending {@link #sendAfterPersist()}. */
    public boolean mustSync() {
        return !persist.isEmpty();
    }
}
