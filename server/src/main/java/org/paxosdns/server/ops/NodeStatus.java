package org.paxosdns.server.ops;

import java.util.List;

/**
 * What {@code GET /v1/state} reports: the node, its role and leader, its peers, and the
 * stateNdx of every application. 64-bit counters are unsigned.
 */
public record NodeStatus(String node, String role, String leader, String clusterId, long stateNdx,
                         List<Peer> peers, List<App> apps, int zones, boolean healthy) {
    /** A peer and whether its connection is up. */
    public record Peer(String name, boolean up) {}

    /** One replicated application: its stateNdx, the hex SHA3-256 of its state, and its leader as this node knows it. */
    public record App(int appNdx, long stateNdx, String digest, String leader) {}
}
