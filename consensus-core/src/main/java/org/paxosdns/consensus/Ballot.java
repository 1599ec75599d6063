package org.paxosdns.consensus;

/**
 * A Paxos ballot: a round number paired with the proposer's fixed node index, so two nodes never
 * issue the same ballot. Ordered by round, then by node index. {@link #ZERO} is below every ballot
 * a node can issue (rounds issued start at 1).
 */
public record Ballot(long round, int node) implements Comparable<Ballot> {
    /** The ballot nobody holds: what a fresh acceptor has promised. */
    public static final Ballot ZERO = new Ballot(0, -1);

    public Ballot {
        if (round < 0 || node < -1) {
            throw new IllegalArgumentException("bad ballot " + round + "." + node);
        }
    }

    @Override
    public int compareTo(Ballot other) {
        int byRound = Long.compare(round, other.round);
        return byRound != 0 ? byRound : Integer.compare(node, other.node);
    }

    /** True when this ballot orders strictly after {@code other}. */
    public boolean above(Ballot other) {
        return compareTo(other) > 0;
    }

    /** True when this ballot orders strictly before {@code other}. */
    public boolean below(Ballot other) {
        return compareTo(other) < 0;
    }

    /** The larger of two ballots. */
    public static Ballot max(Ballot a, Ballot b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public String toString() {
        return round + "." + node;
    }
}
