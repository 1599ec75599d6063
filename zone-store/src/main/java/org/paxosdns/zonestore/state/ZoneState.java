package org.paxosdns.zonestore.state;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.paxosdns.identity.Hashes;
import org.paxosdns.identity.ZoneNames;
import org.paxosdns.zonestore.blob.ContentHash;

/**
 * One immutable state of the DNS application: stateNdx (unsigned 64-bit), the zones sorted by
 * FQDN and every commander's exactly-once window. Safe to read from any thread; the state
 * machine publishes a new one per applied command.
 */
public final class ZoneState {
    /** The state before the first command. */
    public static final ZoneState EMPTY = new ZoneState(0, ZoneTable.EMPTY, Collections.emptyNavigableMap());

    private final long stateNdx;
    private final ZoneTable zones;
    private final NavigableMap<String, CommanderWindow> windows;

    /** Takes a read-only windows map that nobody else may change. */
    private ZoneState(long stateNdx, ZoneTable zones, NavigableMap<String, CommanderWindow> windows) {
        this.stateNdx = stateNdx;
        this.zones = zones;
        this.windows = windows;
    }

    /** Executed commands so far, unsigned ({@link Long#toUnsignedString} to print). */
    public long stateNdx() {
        return stateNdx;
    }

    /** The zone {@code fqdn} (any case, with or without the trailing dot), if served. */
    public Optional<ZoneEntry> zone(String fqdn) {
        try {
            return Optional.ofNullable(zones.get(ZoneNames.normalize(fqdn)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** All zones, sorted by FQDN; read-only. */
    public List<ZoneEntry> zones() {
        return zones.entries();
    }

    public int zoneCount() {
        return zones.size();
    }

    /** The exactly-once window of one commander (empty when it has sent nothing). */
    public CommanderWindow window(String commanderId) {
        return windows.getOrDefault(commanderId, CommanderWindow.EMPTY);
    }

    /** Every commander's window, sorted by commander ID; read-only. */
    public NavigableMap<String, CommanderWindow> windows() {
        return windows;
    }

    /** The zone files this state serves: what blob garbage collection must keep. */
    public Set<ContentHash> referencedHashes() {
        Set<ContentHash> hashes = new TreeSet<>();
        zones.entries().forEach(entry -> hashes.add(entry.hash()));
        return hashes;
    }

    /** SHA3-256 over the deterministic snapshot: equal on replicas that applied the same commands. */
    public byte[] digest() {
        return Hashes.sha3(SnapshotCodec.encode(this));
    }

    /**
     * A state with one more ruling: {@code zoneUpdates} merged (null value = delete) and the
     * window of {@code commanderId} extended.
     */
    ZoneState next(long nextStateNdx, NavigableMap<String, ZoneEntry> zoneUpdates, String commanderId,
            AppliedCommand ruling) {
        TreeMap<String, CommanderWindow> nextWindows = new TreeMap<>(windows);
        nextWindows.put(commanderId, window(commanderId).with(ruling));
        ZoneTable nextZones = zoneUpdates.isEmpty() ? zones : zones.with(zoneUpdates);
        return new ZoneState(nextStateNdx, nextZones, Collections.unmodifiableNavigableMap(nextWindows));
    }

    /** A state from a snapshot's parts; zones sorted by FQDN without duplicates. */
    static ZoneState of(long stateNdx, List<ZoneEntry> sortedZones, Map<String, CommanderWindow> windows) {
        return new ZoneState(stateNdx, ZoneTable.ofSorted(sortedZones),
                Collections.unmodifiableNavigableMap(new TreeMap<>(windows)));
    }
}
