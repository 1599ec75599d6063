package org.paxosdns.server.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * Failover as clients see it: for each kill of the leader, the time until the first
 * acknowledged key-value write invoked after the kill completed (retries inside that write
 * included), in the order of the kills. Writes invoked before the kill are left out: one of
 * them may have been chosen before the kill and answered after it, which would flatter the
 * figure. The reported figures count only kills with no other fault on at that moment: a kill
 * during a partition measures the partition (no quorum until it heals), not failover; the log
 * shows every kill.
 */
final class Failover {
    private Failover() {}

    static List<Long> samplesMs(List<Operation> ops, List<ChaosHistory.LeaderKill> kills, boolean aloneOnly) {
        List<Long> samples = new ArrayList<>();
        for (ChaosHistory.LeaderKill kill : kills) {
            if (aloneOnly && !kill.alone()) {
                continue;
            }
            ops.stream().filter(o -> o.kind() != Operation.Kind.GET && o.outcome() == Operation.Outcome.OK)
                    .filter(o -> !o.key().startsWith("zone ") && o.invokeNanos() >= kill.nanos())
                    .mapToLong(Operation::completeNanos).min()
                    .ifPresent(done -> samples.add((done - kill.nanos()) / 1_000_000));
        }
        return samples;
    }

    /** The nearest-rank percentile of the samples, or null when there are none. */
    static Long percentile(List<Long> samples, int percent) {
        if (samples.isEmpty()) {
            return null;
        }
        List<Long> sorted = samples.stream().sorted().toList();
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
