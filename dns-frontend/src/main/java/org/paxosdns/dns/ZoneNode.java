package org.paxosdns.dns;

import java.util.Arrays;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;

/**
 * The RRsets of one owner name, sorted by type code. A node has only a handful of types, so a
 * linear scan over two small arrays beats a hash map in both speed and memory.
 */
final class ZoneNode {
    private final int[] types;
    private final RRset[] rrsets;

    private ZoneNode(int[] types, RRset[] rrsets) {
        this.types = types;
        this.rrsets = rrsets;
    }

    RRset rrset(int type) {
        for (int i = 0; i < types.length; i++) {
            if (types[i] == type) {
                return rrsets[i];
            }
        }
        return null;
    }

    /** The RRset with the lowest type code: the one RRset a minimal ANY answer gives (RFC 8482). */
    RRset firstRRset() {
        return rrsets.length == 0 ? null : rrsets[0];
    }

    void forEachRRset(Consumer<RRset> action) {
        Arrays.stream(rrsets).forEach(action);
    }

    /** Collects the records of one owner name. */
    static final class Builder {
        private final TreeMap<Integer, RRset> byType = new TreeMap<>();

        void add(Record record) {
            byType.computeIfAbsent(record.getRRsetType(), t -> new RRset()).addRR(record);
        }

        ZoneNode build() {
            int[] types = byType.keySet().stream().mapToInt(Integer::intValue).toArray();
            return new ZoneNode(types, byType.values().toArray(new RRset[0]));
        }
    }
}
