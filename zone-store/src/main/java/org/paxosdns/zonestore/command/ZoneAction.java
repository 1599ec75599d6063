package org.paxosdns.zonestore.command;

import org.paxosdns.zonestore.blob.ContentHash;

/** One change a command asks for, decoded and normalized: publish a zone version, or remove a zone. */
public sealed interface ZoneAction {
    /** The zone this action changes: lower-case, absolute. */
    String fqdn();

    /** Serve the zone file {@code hash}, whose SOA serial is {@code soaSerial} (0..2^32-1). */
    record Put(String fqdn, ContentHash hash, long soaSerial) implements ZoneAction {}

    /** Stop serving the zone. */
    record Delete(String fqdn) implements ZoneAction {}
}
