package org.paxosdns.zonestore.zone;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;
import org.paxosdns.zonestore.blob.ContentHash;
import org.paxosdns.zonestore.blob.VerifiedBlob;

/**
 * Checks of zone files, so a server does not validate the same version twice (a resent
 * command, several commands naming one upload). Keyed by (FQDN, content hash), not by hash
 * alone: the same bytes under another origin are another zone, since relative names resolve
 * against it. A {@link ParsedZone} holds no records, so an entry costs a few bytes whatever the
 * zone's size; the front end indexes a zone by streaming it from the validator instead.
 * Bounded by entry count. Thread-safe.
 */
public final class ParsedZoneCache {
    /** Default bound: checks kept (each a few hundred bytes). */
    public static final long CACHED_ZONES_MAX = 10_000;

    private record Key(String fqdn, ContentHash hash) {}

    private final ZoneValidator validator;
    private final ZoneIndexing indexing;
    private final Cache<Key, ZoneCheck> cache;

    /** A cache that only validates. */
    public ParsedZoneCache(ZoneValidator validator, long cachedZonesMax) {
        this(validator, cachedZonesMax, ZoneIndexing.NONE);
    }

    /** A cache that also streams the records of every zone it validates into {@code indexing}. */
    public ParsedZoneCache(ZoneValidator validator, long cachedZonesMax, ZoneIndexing indexing) {
        this.validator = validator;
        this.indexing = indexing;
        this.cache = Caffeine.newBuilder().maximumSize(cachedZonesMax).build();
    }

    /**
     * The checked parse of {@code content} as zone {@code fqdn} (normalized, as in
     * {@code ZoneEntry.fqdn()}), from the cache or parsed now.
     * The blob's type proves its bytes hash to its address, so a caller's mistake cannot poison
     * the cache. A miss streams the records into the indexing.
     */
    public ZoneCheck parse(String fqdn, VerifiedBlob blob) {
        ContentHash hash = blob.hash();
        return cache.get(new Key(fqdn, hash), key -> {
            ZoneIndexing.Session session = indexing.open(fqdn, hash);
            ZoneCheck check = validator.parse(fqdn, blob.content(), session);
            try {
                session.finish(check instanceof ZoneCheck.Valid);
            } catch (IllegalArgumentException e) {
                return new ZoneCheck.Invalid(ZoneProblem.of(ZoneProblem.Kind.UNSERVABLE,
                        "zone " + fqdn + " cannot be served: " + e.getMessage()));
            }
            return check;
        });
    }

    /** The parsed zone if it is cached and valid; never parses. */
    public Optional<ParsedZone> cached(String fqdn, ContentHash hash) {
        return Optional.ofNullable(cache.getIfPresent(new Key(fqdn, hash)))
                .filter(ZoneCheck.Valid.class::isInstance)
                .map(check -> ((ZoneCheck.Valid) check).zone());
    }
}
