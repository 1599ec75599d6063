package org.paxosdns.consensus;

/**
 * Static configuration of one engine: which application and node it is, the cluster size, and its
 * timing in ticks. {@code bootstrapped} is true when the node's durable state is known to be
 * complete (its data directory holds the marker written at cluster init, or its log holds a
 * {@link Durable.VoterMark}); a node started without it does not vote until it has caught up.
 */
public record EngineConfig(int appNdx, int selfIndex, int clusterSize, int heartbeatTicks,
        int electionTicksMin, int electionTicksMax, boolean bootstrapped) {

    public EngineConfig {
        if (clusterSize < 1 || clusterSize > EngineLimits.clusterSizeMax) {
            throw new IllegalArgumentException("cluster size " + clusterSize);
        }
        if (selfIndex < 0 || selfIndex >= clusterSize) {
            throw new IllegalArgumentException("self index " + selfIndex + " outside cluster of " + clusterSize);
        }
        if (heartbeatTicks < 1 || electionTicksMin <= heartbeatTicks || electionTicksMax < electionTicksMin) {
            throw new IllegalArgumentException("need 1 <= heartbeatTicks < electionTicksMin <= electionTicksMax");
        }
    }

    /** Votes needed for a quorum: a strict majority. */
    public int quorum() {
        return clusterSize / 2 + 1;
    }
}
