package org.paxosdns.zonestore.zone;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;
import org.paxosdns.zonestore.blob.ContentHash;

/**
 * Parse results of zone files, so a server parses each version once (at admission, then again
 * for the front end, would be twice). Keyed by (FQDN, content hash), not by hash alone: the
 * same bytes under another origin are another zone, since relative names resolve against it.
 * Bounded by weight, one unit per record, so a few huge zones cannot pin the heap. Thread-safe.
 */
public final class ParsedZoneCache {
    /** Default bound: records held by all cached zones together. */
    public static final long CACHED_RECORDS_MAX = 1_000_000;

    private record Key(String fqdn, ContentHash hash) {}

    private final ZoneValidator validator;
    private final Cache<Key, ZoneCheck> cache;

    public ParsedZoneCache(ZoneValidator validator, long cachedRecordsMax) {
        this.validator = validator;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(cachedRecordsMax)
                .weigher((Key key, ZoneCheck check) -> weight(check))
                .build();
    }

    /**
     * The checked parse of {@code content} as zone {@code fqdn} (normalized, as in
     * {@code ZoneEntry.fqdn()}), from the cache or parsed now.
     * {@code content} must be the bytes of {@code hash} (checked on a miss, so a caller's
     * mistake cannot poison the cache).
     */
    public ZoneCheck parse(String fqdn, ContentHash hash, byte[] content) {
        return cache.get(new Key(fqdn, hash), key -> {
            if (!hash.matches(content)) {
                throw new IllegalArgumentException("content does not hash to " + hash);
            }
            return validator.parse(fqdn, content);
        });
    }

    /** The parsed zone if it is cached and valid; never parses. */
    public Optional<ParsedZone> cached(String fqdn, ContentHash hash) {
        return Optional.ofNullable(cache.getIfPresent(new Key(fqdn, hash)))
                .filter(ZoneCheck.Valid.class::isInstance)
                .map(check -> ((ZoneCheck.Valid) check).zone());
    }

    private static int weight(ZoneCheck check) {
        return check instanceof ZoneCheck.Valid valid ? Math.max(1, valid.zone().records().size()) : 1;
    }
}
