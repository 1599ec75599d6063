package org.paxosdns.zonestore.zone;

import java.util.List;
import org.xbill.DNS.Record;

/**
 * A zone file that passed every rule: its apex (lower-case, absolute), all its records in file
 * order with {@code $GENERATE} lines expanded after them, and its SOA serial. The DNS front end
 * builds its index from {@link #records()}.
 */
public record ParsedZone(String fqdn, List<Record> records, long soaSerial) {
    public ParsedZone {
        records = List.copyOf(records);
    }
}
