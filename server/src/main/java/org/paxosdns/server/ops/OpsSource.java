package org.paxosdns.server.ops;

import java.util.List;
import java.util.Optional;

/** Where the ops endpoint reads the node's state; implemented by the node, read from Netty threads. */
public interface OpsSource {
    NodeStatus status();

    List<ZoneInfo> zones();

    Optional<ZoneInfo> zone(String fqdn);

    Metrics metrics();
}
