package org.paxosdns.zonestore.state;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The zones of one state as an immutable array sorted by FQDN. A command replaces the array
 * with one merge pass (a reference copy of the whole map, which the JVM does at memory speed),
 * far cheaper than copying a tree; lookups are binary searches; iteration is already sorted,
 * which snapshots and digests need.
 */
final class ZoneTable {
    static final ZoneTable EMPTY = new ZoneTable(new ZoneEntry[0]);

    private final ZoneEntry[] entries;

    private ZoneTable(ZoneEntry[] entries) {
        this.entries = entries;
    }

    /** A table of entries already sorted by FQDN, without duplicates (checked by the caller). */
    static ZoneTable ofSorted(List<ZoneEntry> sorted) {
        return new ZoneTable(sorted.toArray(new ZoneEntry[0]));
    }

    ZoneEntry get(String fqdn) {
        int at = indexOf(fqdn);
        return at >= 0 ? entries[at] : null;
    }

    int size() {
        return entries.length;
    }

    List<ZoneEntry> entries() {
        return Collections.unmodifiableList(Arrays.asList(entries));
    }

    /** A table with {@code updates} merged in: a non-null value sets the zone, null removes it. */
    ZoneTable with(NavigableMap<String, ZoneEntry> updates) {
        ZoneEntry[] next = new ZoneEntry[entries.length + updates.size()];
        int from = 0;
        int to = 0;
        for (Map.Entry<String, ZoneEntry> update : updates.entrySet()) {
            int at = indexOf(update.getKey());
            int end = at >= 0 ? at : -at - 1;
            System.arraycopy(entries, from, next, to, end - from);
            to += end - from;
            from = at >= 0 ? at + 1 : end;
            if (update.getValue() != null) {
                next[to++] = update.getValue();
            }
        }
        System.arraycopy(entries, from, next, to, entries.length - from);
        to += entries.length - from;
        return new ZoneTable(to == next.length ? next : Arrays.copyOf(next, to));
    }

    private int indexOf(String fqdn) {
        int low = 0;
        int high = entries.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int order = entries[mid].fqdn().compareTo(fqdn);
            if (order < 0) {
                low = mid + 1;
            } else if (order > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }
}
