package org.paxosdns.server.chaos;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a register history for linearizability with the Wing-Gong search as Lowe improved
 * it: lift the first operation that may take effect next, memoize (linearized set, state)
 * pairs that were already explored, backtrack when an operation's answer comes before it could
 * be placed. Keys are independent registers, so each key's sub-history is checked alone
 * (P-compositionality). Refused operations took no effect and are left out; operations with an
 * unknown outcome never force a placement, so each may take effect or not.
 */
public final class LinearizabilityChecker {
    /** Most search states explored for one key before the checker gives up, as a bound on time and memory. */
    public static final int STATES_PER_KEY_MAX = 5_000_000;

    /** The verdict: linearizable, or the first key that is not (or could not be decided). */
    public record Result(boolean linearizable, boolean decided, String detail) {}

    private LinearizabilityChecker() {}

    public static Result check(List<Operation> history) {
        Map<String, List<Operation>> byKey = new LinkedHashMap<>();
        for (Operation op : history) {
            if (op.outcome() != Operation.Outcome.FAIL) {
                byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            }
        }
        for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
            Result r = checkKey(e.getKey(), e.getValue());
            if (!r.linearizable()) {
                return r;
            }
        }
        return new Result(true, true, byKey.size() + " keys, " + history.size() + " operations");
    }

    /** One call or return event in the doubly linked event list. */
    private static final class Entry {
        final Operation op;
        final int index;
        final boolean call;
        Entry match;
        Entry prev;
        Entry next;

        Entry(Operation op, int index, boolean call) {
            this.op = op;
            this.index = index;
            this.call = call;
        }
    }

    private record Explored(BitSet linearized, String state) {}

    private record Frame(Entry call, String stateBefore) {}

    private static Result checkKey(String key, List<Operation> ops) {
        Entry head = buildEvents(ops);
        BitSet linearized = new BitSet(ops.size());
        Set<Explored> explored = new HashSet<>();
        Deque<Frame> stack = new ArrayDeque<>();
        String state = RegisterModel.NULL;
        Entry entry = head.next;
        while (entry != null) {
            if (entry.call) {
                Optional<String> next = RegisterModel.step(state, entry.op);
                if (next.isPresent()) {
                    BitSet tried = (BitSet) linearized.clone();
                    tried.set(entry.index);
                    if (explored.add(new Explored(tried, next.get()))) {
                        if (explored.size() > STATES_PER_KEY_MAX) {
                            return new Result(false, false, "key " + key + ": search exceeded " + STATES_PER_KEY_MAX + " states");
                        }
                        stack.push(new Frame(entry, state));
                        state = next.get();
                        linearized.set(entry.index);
                        lift(entry);
                        entry = head.next;
                        continue;
                    }
                }
                entry = entry.next;
            } else if (entry.op.outcome() == Operation.Outcome.UNKNOWN) {
                return new Result(true, true, "key " + key); // only unknown operations remain: each may never happen
            } else {
                if (stack.isEmpty()) {
                    return new Result(false, true, "key " + key + ": no order explains operation " + entry.op);
                }
                Frame frame = stack.pop();
                state = frame.stateBefore();
                linearized.clear(frame.call().index);
                unlift(frame.call());
                entry = frame.call().next;
            }
        }
        return new Result(true, true, "key " + key);
    }

    /** Events in time order; at equal times calls come first, since touching operations overlap. */
    private static Entry buildEvents(List<Operation> ops) {
        List<Entry> events = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            Entry call = new Entry(op, i, true);
            Entry ret = new Entry(op, i, false);
            call.match = ret;
            ret.match = call;
            events.add(call);
            events.add(ret);
        }
        events.sort(Comparator.comparingLong(LinearizabilityChecker::time).thenComparing(e -> !e.call));
        Entry head = new Entry(null, -1, false);
        Entry last = head;
        for (Entry e : events) {
            last.next = e;
            e.prev = last;
            last = e;
        }
        return head;
    }

    private static long time(Entry e) {
        if (e.call) {
            return e.op.invokeNanos();
        }
        return e.op.outcome() == Operation.Outcome.UNKNOWN ? Long.MAX_VALUE : e.op.completeNanos();
    }

    private static void lift(Entry call) {
        remove(call);
        remove(call.match);
    }

    private static void remove(Entry e) {
        e.prev.next = e.next;
        if (e.next != null) {
            e.next.prev = e.prev;
        }
    }

    /** Undoes {@link #lift} in reverse order, restoring both entries at their old places. */
    private static void unlift(Entry call) {
        restore(call.match);
        restore(call);
    }

    private static void restore(Entry e) {
        e.prev.next = e;
        if (e.next != null) {
            e.next.prev = e;
        }
    }
}
