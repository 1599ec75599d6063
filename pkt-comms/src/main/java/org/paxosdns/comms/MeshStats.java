package org.paxosdns.comms;

import java.util.List;

/**
 * A snapshot of the mesh's counters: AppMsgs sent (handed to the socket), received (delivered
 * or unroutable), dropped (peer down or queue full), handshakes refused, sessions ended by a
 * protocol error, Errors received from peers, messages for an unregistered appNdx, session
 * key renewals (either direction), and one entry per peer.
 */
public record MeshStats(long sent, long received, long dropped, long rejectedHandshakes, long sessionErrors,
                        long errorsFromPeers, long unroutable, long keyRenewals, List<PeerStats> peers) {
    /** One peer's view: up now, how often it came up and went down, its traffic and queue. */
    public record PeerStats(int index, String name, boolean up, long ups, long downs, long sent, long received,
                            long dropped, int queuedMessages, long queuedBytes) {}
}
