package org.paxosdns.server.node;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.paxosdns.dns.ZoneContent;
import org.paxosdns.dns.ZoneContentBuilder;
import org.paxosdns.dns.ZoneTable;
import org.paxosdns.server.blob.BlobTransfer;
import org.paxosdns.zonestore.blob.BlobStore;
import org.paxosdns.zonestore.blob.ContentHash;
import org.paxosdns.zonestore.state.ApplyResult;
import org.paxosdns.zonestore.state.ZoneChange;
import org.paxosdns.zonestore.state.ZoneEntry;
import org.paxosdns.zonestore.state.ZoneState;
import org.paxosdns.zonestore.state.ZoneStateListener;
import org.paxosdns.zonestore.zone.ZoneCheck;
import org.paxosdns.zonestore.zone.ZoneValidator;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Keeps the DNS front end's zones in step with the applied state: after each applied change
 * it loads the committed blob, re-hashes it, and parses, validates and indexes it in one pass
 * (the validator streams records into the compact index; no list of records is held), then
 * swaps the new version in whole. A zone whose blob is missing or corrupt keeps serving its
 * last verified version (or SERVFAIL before it has one) while the blob is fetched from a peer.
 * One thread does all of it, off the apply thread, in the order changes were applied; a
 * {@link BlobScrubber} re-verifies the served blobs on its own thread at a bounded rate.
 */
final class ZoneServing implements ZoneStateListener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ZoneServing.class.getName());
    /** How often zones still waiting for their blob are retried, in milliseconds. */
    static final long RETRY_MS = 1_000;
    /** Pause between two scrub passes over the served blobs, and period of blob GC, in milliseconds. */
    static final long SCRUB_MS_DEFAULT = 60_000;

    private final String node;
    private final BlobStore blobs;
    private final BlobTransfer transfer;
    private final ZoneValidator validator;
    private final PreparedZones prepared;
    private final ZoneTable table;
    private final LinkedBlockingQueue<Runnable> work = new LinkedBlockingQueue<>();
    private final Map<String, ZoneEntry> committed = new ConcurrentHashMap<>();
    private final Map<String, ContentHash> served = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "zone-timer"));
    private final Thread worker;
    private final BlobScrubber scrubber;
    private volatile boolean running = true;

    ZoneServing(String node, BlobStore blobs, BlobTransfer transfer, ZoneValidator validator, PreparedZones prepared,
                ZoneTable table, long scrubMs, long scrubBytesPerSecond) {
        this.node = node;
        this.blobs = blobs;
        this.transfer = transfer;
        this.validator = validator;
        this.prepared = prepared;
        this.table = table;
        this.worker = daemon(this::loop, "zone-serving");
        this.scrubber = new BlobScrubber(node, blobs, () -> List.copyOf(served.values()),
                hash -> work.add(() -> recheck(hash)), scrubBytesPerSecond, scrubMs, BlobScrubber.Pacer.SYSTEM);
        transfer.onArrival(hash -> work.add(this::retryPending));
        timer.scheduleWithFixedDelay(() -> work.add(this::retryPending), RETRY_MS, RETRY_MS, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(() -> work.add(this::collectGarbage), scrubMs, scrubMs, TimeUnit.MILLISECONDS);
    }

    void start() {
        worker.start();
        scrubber.start();
    }

    /** The hash of the version this node serves for {@code fqdn}, if it serves one. */
    Optional<ContentHash> servedHash(String fqdn) {
        return Optional.ofNullable(served.get(fqdn));
    }

    /** True when every committed zone is served at its committed version. */
    boolean upToDate() {
        return committed.values().stream().allMatch(e -> e.hash().equals(served.get(e.fqdn())));
    }

    @Override
    public void applied(ApplyResult result) {
        for (ZoneChange change : result.changes()) {
            if (change instanceof ZoneChange.Put put) {
                committed.put(put.entry().fqdn(), put.entry());
                work.add(() -> load(put.entry()));
            } else if (change instanceof ZoneChange.Deleted deleted) {
                committed.remove(deleted.fqdn());
                work.add(() -> unload(deleted.fqdn()));
            }
        }
    }

    @Override
    public void restored(ZoneState state) {
        committed.clear();
        state.zones().forEach(entry -> committed.put(entry.fqdn(), entry));
        work.add(() -> {
            for (String fqdn : served.keySet()) {
                if (!committed.containsKey(fqdn)) {
                    unload(fqdn);
                }
            }
            state.zones().forEach(this::load);
        });
    }

    private void load(ZoneEntry entry) {
        if (!entry.equals(committed.get(entry.fqdn()))) {
            return; // superseded by a later change, which is queued behind this one
        }
        if (entry.hash().equals(served.get(entry.fqdn()))) {
            return;
        }
        long startNanos = System.nanoTime();
        Optional<byte[]> content = blobs.get(entry.hash()); // re-hashed on every load
        if (content.isEmpty()) {
            if (!served.containsKey(entry.fqdn())) {
                table.markPending(name(entry.fqdn()));
            }
            LOG.log(System.Logger.Level.INFO, "{0}: zone {1} waits for blob {2}; fetching from peers",
                    node, entry.fqdn(), entry.hash());
            transfer.fetch(entry.hash());
            return;
        }
        long verifiedNanos = System.nanoTime();
        Optional<ZoneContent> admitted = prepared.take(entry.fqdn(), entry.hash());
        if (admitted.isPresent()) {
            serve(entry, admitted.get());
            LOG.log(System.Logger.Level.INFO, "{0}: zone {1} loaded: {2} records, read and re-hash {3} ms, indexed at admission",
                    node, entry.fqdn(), admitted.get().recordCount(), (verifiedNanos - startNanos) / 1_000_000);
            return;
        }
        ZoneContentBuilder index = ZoneContent.builder(name(entry.fqdn()), entry.hash().toHex());
        ZoneCheck check = validator.parse(entry.fqdn(), content.get(), index::add);
        if (check instanceof ZoneCheck.Valid) {
            ZoneContent zone;
            try {
                zone = index.build();
            } catch (IllegalArgumentException e) { // admission builds the same index and refuses such a zone
                LOG.log(System.Logger.Level.ERROR, "{0}: committed zone {1} cannot be indexed here: {2}",
                        node, entry.fqdn(), e.getMessage());
                return;
            }
            serve(entry, zone);
            LOG.log(System.Logger.Level.INFO, "{0}: zone {1} loaded: {2} records, read and re-hash {3} ms, parse and index {4} ms",
                    node, entry.fqdn(), zone.recordCount(), (verifiedNanos - startNanos) / 1_000_000,
                    (System.nanoTime() - verifiedNanos) / 1_000_000);
        } else {
            // Admission parsed it before it was proposed; a refusal here means this build's rules differ.
            LOG.log(System.Logger.Level.ERROR, "{0}: committed zone {1} does not parse here: {2}", node, entry.fqdn(), check);
        }
    }

    private void serve(ZoneEntry entry, ZoneContent zone) {
        table.put(zone);
        served.put(entry.fqdn(), entry.hash());
    }

    private void unload(String fqdn) {
        if (committed.containsKey(fqdn)) {
            return; // put again since
        }
        table.remove(name(fqdn));
        served.remove(fqdn);
    }

    private void retryPending() {
        committed.values().forEach(this::load);
    }

    /**
     * The scrubber found {@code hash} bad: the store's verified read confirms it (and deletes a
     * corrupt file), then the blob is fetched again. The zone keeps serving its verified copy
     * in memory meanwhile.
     */
    private void recheck(ContentHash hash) {
        if (served.containsValue(hash) && blobs.get(hash).isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: blob {1} is missing or corrupt on disk; fetching it again",
                    node, hash);
            transfer.fetch(hash);
        }
    }

    /**
     * Deletes blobs no committed zone refers to once their grace period is over; the grace
     * period covers zone files uploaded for commands not yet applied.
     */
    private void collectGarbage() {
        java.util.Set<ContentHash> referenced = new java.util.HashSet<>();
        committed.values().forEach(e -> referenced.add(e.hash()));
        try {
            for (ContentHash deleted : blobs.collectGarbage(referenced)) {
                LOG.log(System.Logger.Level.INFO, "{0}: deleted unreferenced blob {1}", node, deleted);
            }
        } catch (java.io.IOException e) {
            LOG.log(System.Logger.Level.WARNING, node + ": blob garbage collection failed", e);
        }
    }

    private void loop() {
        while (running) {
            try {
                Runnable task = work.poll(RETRY_MS, TimeUnit.MILLISECONDS);
                if (task != null) {
                    task.run();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, node + ": zone loading failed", e);
            }
        }
    }

    private static Name name(String fqdn) {
        try {
            return Name.fromString(fqdn);
        } catch (TextParseException e) {
            throw new IllegalStateException("a committed zone name does not parse: " + fqdn, e);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        running = false;
        scrubber.close();
        timer.shutdownNow();
        worker.interrupt();
    }
}
