package org.paxosdns.server.chaos;

/**
 * The verdict of one chaos run: counts, the four checks and the failover figures (null when no
 * leader was killed). {@link #line()} is the run's last line on standard output.
 */
public record ChaosReport(int nodes, int seconds, long seed, int ops, int acknowledged, int unknown, int lost,
                          boolean linearizable, boolean converged, boolean monotonic, Long failoverP50Ms, Long failoverP99Ms,
                          String detail) {
    /** True when every check passed. */
    public boolean passed() {
        return lost == 0 && linearizable && converged && monotonic;
    }

    public String line() {
        return "chaos: nodes=" + nodes + " seconds=" + seconds + " seed=" + seed + " ops=" + ops + " acknowledged=" + acknowledged
                + " unknown=" + unknown + " lost=" + lost + " linearizable=" + linearizable + " converged=" + converged
                + " monotonic=" + monotonic + " failover_ms_p50=" + figure(failoverP50Ms) + " failover_ms_p99=" + figure(failoverP99Ms);
    }

    private static String figure(Long ms) {
        return ms == null ? "NA" : ms.toString();
    }
}
