package org.paxosdns.server.ops;

/**
 * One zone as the ops endpoint lists it: the committed version and what this node serves.
 * {@code served} is false while the node has not yet verified a blob of the committed hash.
 */
public record ZoneInfo(String fqdn, String hash, long soaSerial, long stateNdx, String commanderId,
                       String servedHash, boolean served) {}
