package org.paxosdns.server.node;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.paxosdns.dns.ZoneContent;
import org.paxosdns.dns.ZoneContentBuilder;
import org.paxosdns.zonestore.blob.ContentHash;
import org.paxosdns.zonestore.zone.ZoneIndexing;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/**
 * DNS indexes built while admission validated a zone file (the parsed-zone cache streams the
 * records here), kept until {@link ZoneServing} loads that version, so the node that admits a
 * zone parses its file once instead of twice (a 1,000,000-name zone costs tens of seconds of
 * dnsjava parsing). Bounded by the records held, oldest dropped first, and by age: the index
 * of a command that is never applied goes after {@link #PREPARED_MS}. Thread-safe.
 */
final class PreparedZones implements ZoneIndexing {
    /** Records held by all prepared indexes together (about 40 bytes of heap each). */
    static final long PREPARED_RECORDS_MAX = 5_000_000;
    /** How long a prepared index waits for its command to be applied, in milliseconds. */
    static final long PREPARED_MS = 10 * 60_000;

    private record Key(String fqdn, ContentHash hash) { }

    private record Prepared(ZoneContent zone, long preparedAtMs) { }

    private final LongSupplier clockMs;
    private final Map<Key, Prepared> prepared = new LinkedHashMap<>();
    private long records;

    PreparedZones(LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    @Override
    public Session open(String fqdn, ContentHash hash) {
        ZoneContentBuilder builder;
        try {
            builder = ZoneContent.builder(Name.fromString(fqdn), hash.toHex());
        } catch (TextParseException | IllegalArgumentException e) {
            return ZoneIndexing.NONE.open(fqdn, hash); // the validator refuses the name itself
        }
        return new Session() {
            @Override
            public void accept(Record record) {
                builder.add(record);
            }

            @Override
            public void finish(boolean valid) {
                if (valid) {
                    keep(new Key(fqdn, hash), builder.build());
                }
            }
        };
    }

    /** The index prepared for this version, removed from here; empty when none (or too old). */
    synchronized Optional<ZoneContent> take(String fqdn, ContentHash hash) {
        dropExpired();
        Prepared found = prepared.remove(new Key(fqdn, hash));
        if (found == null) {
            return Optional.empty();
        }
        records -= found.zone().recordCount();
        return Optional.of(found.zone());
    }

    private synchronized void keep(Key key, ZoneContent zone) {
        dropExpired();
        Prepared previous = prepared.remove(key);
        if (previous != null) {
            records -= previous.zone().recordCount();
        }
        Iterator<Prepared> oldest = prepared.values().iterator();
        while (records + zone.recordCount() > PREPARED_RECORDS_MAX && oldest.hasNext()) {
            records -= oldest.next().zone().recordCount();
            oldest.remove();
        }
        if (records + zone.recordCount() <= PREPARED_RECORDS_MAX) {
            prepared.put(key, new Prepared(zone, clockMs.getAsLong()));
            records += zone.recordCount();
        }
    }

    private void dropExpired() {
        long now = clockMs.getAsLong();
        Iterator<Prepared> oldest = prepared.values().iterator();
        while (oldest.hasNext()) {
            Prepared p = oldest.next();
            if (now - p.preparedAtMs() < PREPARED_MS) {
                return; // in insertion order: the rest are younger
            }
            records -= p.zone().recordCount();
            oldest.remove();
        }
    }
}
