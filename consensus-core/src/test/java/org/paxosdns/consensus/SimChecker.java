package org.paxosdns.consensus;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The simulator's safety checks, run as each replica applies: one value per slot across all
 * replicas, slots applied consecutively (so applied sequences are prefixes of one another), only
 * proposed commands, no attempt executed twice, and snapshot installs matching the digest of the
 * agreed prefix.
 */
final class SimChecker {
    private final TreeMap<Long, SlotValue> agreed = new TreeMap<>();
    private final Set<Long> proposedAttempts = new HashSet<>();
    private final List<String> violations = new ArrayList<>();
    private long commandsApplied;

    void proposed(long attemptId) {
        proposedAttempts.add(attemptId);
    }

    List<String> violations() {
        return violations;
    }

    long commandsApplied() {
        return commandsApplied;
    }

    void violation(String what) {
        violations.add(what);
    }

    void onApply(int node, SimStateMachine sm, long slot, SlotValue value) {
        if (slot != sm.lastSlot() + 1) {
            violation("node " + node + " applied slot " + slot + " after " + sm.lastSlot());
        }
        SlotValue first = agreed.putIfAbsent(slot, value);
        if (first != null && !first.equals(value)) {
            violation("node " + node + " applied " + value + " at slot " + slot + " where another replica applied " + first);
        }
        for (byte[] command : value.commands()) {
            long attempt = SimStateMachine.attemptId(command);
            if (!proposedAttempts.contains(attempt)) {
                violation("node " + node + " applied unproposed attempt " + attempt + " at slot " + slot);
            }
            if (sm.hasExecuted(attempt)) {
                violation("node " + node + " applied attempt " + attempt + " twice (again at slot " + slot + ")");
            }
        }
        commandsApplied += value.commands().size();
        sm.apply(slot, value);
    }

    void onInstall(int node, SimStateMachine installed) {
        SimStateMachine reference = new SimStateMachine();
        for (Map.Entry<Long, SlotValue> e : agreed.headMap(installed.lastSlot(), true).entrySet()) {
            if (e.getKey() != reference.lastSlot() + 1) {
                violation("node " + node + " installed snapshot at " + installed.lastSlot() + " beyond agreed slots");
                return;
            }
            reference.apply(e.getKey(), e.getValue());
        }
        if (reference.lastSlot() != installed.lastSlot() || !reference.digest().equals(installed.digest())) {
            violation("node " + node + " installed snapshot at " + installed.lastSlot() + " with digest "
                    + installed.digest() + ", agreed prefix has " + reference.digest());
        }
    }
}
