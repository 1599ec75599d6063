package org.paxosdns.zonestore.zone;

/**
 * A zone file that passed every rule: its apex (lower-case, absolute), how many records it
 * holds ({@code $GENERATE} lines expanded) and its SOA serial. It keeps no records: a caller
 * that needs them (the DNS front end's index) streams them from
 * {@link ZoneValidator#parse(String, byte[], java.util.function.Consumer)}, so a cached check
 * of a million-record zone costs a few bytes, not the zone.
 */
public record ParsedZone(String fqdn, int recordCount, long soaSerial) {
}
