package org.paxosdns.identity;

import java.security.PublicKey;
import java.util.List;
import java.util.Objects;

/** One commander of the roster: its ID, its signing key and the zone suffixes it may change. */
public record CommanderEntry(String id, PublicKey signingKey, List<String> zoneSuffixes) {
    public CommanderEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(signingKey, "signingKey");
        zoneSuffixes = zoneSuffixes.stream().map(ZoneNames::normalize).sorted().distinct().toList();
    }

    /** True when this commander may publish or delete the zone {@code fqdn} (label boundaries). */
    public boolean mayChange(String fqdn) {
        String name = ZoneNames.normalize(fqdn);
        return zoneSuffixes.stream().anyMatch(suffix -> ZoneNames.isAtOrBelow(name, suffix));
    }
}
