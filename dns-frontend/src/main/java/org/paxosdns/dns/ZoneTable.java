package org.paxosdns.dns;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.xbill.DNS.Name;

/**
 * The zones this front end serves, keyed by apex name. Each zone's slot is replaced in one
 * atomic map write, so a reader sees either the old or the new version of a zone, never a mix.
 * Listeners hear of every new version (the server sends NOTIFY from there).
 */
public final class ZoneTable {
    private final ConcurrentHashMap<Name, ZoneSlot> slots = new ConcurrentHashMap<>();
    private final List<Consumer<ZoneContent>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong generation = new AtomicLong();

    /** Serves {@code zone}, replacing any earlier version of it atomically. */
    public void put(ZoneContent zone) {
        ZoneSlot previous = slots.put(zone.origin(), new ZoneSlot.Ready(zone));
        generation.incrementAndGet();
        boolean changed = !(previous instanceof ZoneSlot.Ready ready)
                || !ready.content().version().equals(zone.version());
        if (changed) {
            listeners.forEach(listener -> listener.accept(zone));
        }
    }

    /** Serves {@code origin} without content yet: its names get SERVFAIL until {@link #put}. */
    public void markPending(Name origin) {
        slots.putIfAbsent(origin, new ZoneSlot.Pending(origin));
        generation.incrementAndGet();
    }

    /** Stops serving {@code origin}: its names get REFUSED. */
    public void remove(Name origin) {
        slots.remove(origin);
        generation.incrementAndGet();
    }

    /**
     * A number that changes after every change of the table (incremented after the change is
     * visible): an answer computed after reading generation g is still right while it reads g.
     */
    public long generation() {
        return generation.get();
    }

    /** The closest enclosing served zone of {@code qname}, if any. */
    public Optional<ZoneSlot> find(Name qname) {
        for (int skip = 0; skip < qname.labels(); skip++) {
            ZoneSlot slot = slots.get(skip == 0 ? qname : new Name(qname, skip));
            if (slot != null) {
                return Optional.of(slot);
            }
        }
        return Optional.empty();
    }

    /** The served zone with exactly this apex, if any. */
    public Optional<ZoneSlot> get(Name origin) {
        return Optional.ofNullable(slots.get(origin));
    }

    /** Registers {@code listener} to hear of every new zone version given to {@link #put}. */
    public void onNewVersion(Consumer<ZoneContent> listener) {
        listeners.add(listener);
    }

    /** Unregisters a listener given to {@link #onNewVersion}. */
    public void removeListener(Consumer<ZoneContent> listener) {
        listeners.remove(listener);
    }

    /** How many zones are served (pending ones included). */
    public int size() {
        return slots.size();
    }
}
