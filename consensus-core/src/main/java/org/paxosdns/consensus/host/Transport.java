package org.paxosdns.consensus.host;

/**
 * How a replica reaches its peers: the mesh multiplexes applications and delivers {@code message}
 * to the replica of the same application on node {@code toNodeIndex}. Never blocks; may drop
 * (the engine retransmits what matters).
 */
public interface Transport {
    void send(int toNodeIndex, byte[] message);

    /**
     * The calling thread is about to block (forcing the log): messages it sent that would wait for
     * this thread to come back (queued for an event loop that this thread is) should leave now.
     */
    default void flush() {
    }
}
