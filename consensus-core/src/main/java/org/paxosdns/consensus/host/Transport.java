package org.paxosdns.consensus.host;

/**
 * How a replica reaches its peers: the mesh multiplexes applications and delivers {@code message}
 * to the replica of the same application on node {@code toNodeIndex}. Never blocks; may drop
 * (the engine retransmits what matters).
 */
public interface Transport {
    void send(int toNodeIndex, byte[] message);
}
