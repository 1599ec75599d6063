package org.paxosdns.consensus;

import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What an engine restarts from: the latest snapshot (or none) and the state rebuilt by replaying,
 * in order, the {@link Durable} records persisted after it.
 */
public final class DurableState {
    /** One slot as stored: accepted value and ballot, and whether it is known chosen. */
    public record StoredSlot(Ballot ballot, SlotValue value, boolean chosen) { }

    private final Snapshot snapshot;
    private Ballot promised = Ballot.ZERO;
    private long chosenThrough;
    private boolean voterMark;
    private final NavigableMap<Long, StoredSlot> slots = new TreeMap<>();

    private DurableState(Snapshot snapshot) {
        this.snapshot = snapshot;
        this.chosenThrough = snapshot == null ? 0 : snapshot.lastSlot();
    }

    /** The state of a node that has persisted nothing. */
    public static DurableState empty() {
        return new DurableState(null);
    }

    /** Replays {@code records} (in persist order) over {@code snapshot}, which may be null. */
    public static DurableState replay(Snapshot snapshot, List<Durable> records) {
        DurableState state = new DurableState(snapshot);
        for (Durable record : records) {
            state.apply(record);
        }
        return state;
    }

    private void apply(Durable record) {
        long floor = snapshotSlot();
        if (record instanceof Durable.Promised p) {
            promised = Ballot.max(promised, p.ballot());
        } else if (record instanceof Durable.Accepted a) {
            promised = Ballot.max(promised, a.ballot());
            StoredSlot old = slots.get(a.slot());
            if (a.slot() > floor && (old == null || !old.chosen())) {
                slots.put(a.slot(), new StoredSlot(a.ballot(), a.value(), false));
            }
        } else if (record instanceof Durable.Learned l) {
            if (l.slot() > floor) {
                slots.put(l.slot(), new StoredSlot(Ballot.ZERO, l.value(), true));
            }
        } else if (record instanceof Durable.ChosenThrough c) {
            markChosenThrough(c.slot());
        } else if (record instanceof Durable.VoterMark) {
            voterMark = true;
        }
    }

    private void markChosenThrough(long slot) {
        for (long s = chosenThrough + 1; s <= slot; s++) {
            StoredSlot stored = slots.get(s);
            if (stored == null) {
                throw new IllegalStateException("chosen mark through " + slot + " but slot " + s + " is missing");
            }
            slots.put(s, new StoredSlot(stored.ballot(), stored.value(), true));
        }
        chosenThrough = Math.max(chosenThrough, slot);
    }

    /** The snapshot replayed over, or null. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /** Last slot covered by the snapshot, 0 without one. */
    public long snapshotSlot() {
        return snapshot == null ? 0 : snapshot.lastSlot();
    }

    /** The highest ballot promised or accepted. */
    public Ballot promised() {
        return promised;
    }

    /** Every slot up to this one is chosen. */
    public long chosenThrough() {
        return chosenThrough;
    }

    /** True when a {@link Durable.VoterMark} was persisted. */
    public boolean voterMark() {
        return voterMark;
    }

    /** The stored slots above the snapshot, by slot. */
    public NavigableMap<Long, StoredSlot> slots() {
        return Collections.unmodifiableNavigableMap(slots);
    }
}
