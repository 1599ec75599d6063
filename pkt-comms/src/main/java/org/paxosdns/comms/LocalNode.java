package org.paxosdns.comms;

import org.paxosdns.identity.Roster;
import org.paxosdns.identity.ServerEntry;
import org.paxosdns.identity.ServerKeys;

/** This server as the handshake sees it: its roster entry, its private keys, the cluster ID. */
record LocalNode(Roster roster, ServerEntry entry, ServerKeys keys, byte[] clusterId) {
    static LocalNode of(Roster roster, int index, ServerKeys keys) {
        return new LocalNode(roster, roster.server(index), keys, roster.clusterId());
    }

    int index() {
        return entry.index();
    }
}
