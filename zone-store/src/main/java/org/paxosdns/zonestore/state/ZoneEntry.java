package org.paxosdns.zonestore.state;

import org.paxosdns.zonestore.blob.ContentHash;

/**
 * One zone of the replicated map: the zone file to serve, its SOA serial, the stateNdx of the
 * command that set it (unsigned) and the commander who sent that command.
 */
public record ZoneEntry(String fqdn, ContentHash hash, long soaSerial, long stateNdx, String commanderId) {}
