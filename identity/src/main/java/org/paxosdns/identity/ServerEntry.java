package org.paxosdns.identity;

import java.security.PublicKey;
import java.util.Objects;

/**
 * One server of the roster: its fixed index (which orders ballots), its name, its node ID and
 * both public keys, and where it listens (peers, commanders, ops HTTP, DNS).
 */
public record ServerEntry(String name, int index, NodeId nodeId, PublicKey signingKey, PublicKey commsKey,
                          HostPort peer, HostPort commander, HostPort ops, HostPort dns) {
    public ServerEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(signingKey, "signingKey");
        Objects.requireNonNull(commsKey, "commsKey");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(commander, "commander");
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(dns, "dns");
        if (index < 0) {
            throw new IllegalArgumentException("negative server index " + index);
        }
    }
}
