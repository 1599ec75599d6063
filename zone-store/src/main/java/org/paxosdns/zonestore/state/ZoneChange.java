package org.paxosdns.zonestore.state;

import java.util.Optional;

/** How one zone changed in one applied command, so the front end can swap in the new version. */
public sealed interface ZoneChange {
    /** The zone this change is about. */
    String fqdn();

    /** A zone now points at a new version; {@code previous} is empty for a new zone. */
    record Put(ZoneEntry entry, Optional<ZoneEntry> previous) implements ZoneChange {
        @Override
        public String fqdn() {
            return entry.fqdn();
        }
    }

    /** A zone is no longer served. */
    record Deleted(ZoneEntry previous) implements ZoneChange {
        @Override
        public String fqdn() {
            return previous.fqdn();
        }
    }
}
