package org.paxosdns.dns;

import org.xbill.DNS.Name;

/** The state of one served zone in the {@link ZoneTable}: waiting for its first version, or ready. */
public sealed interface ZoneSlot {
    /** The zone's apex name. */
    Name origin();

    /** Served, but no verified version has arrived yet: queries get SERVFAIL. */
    record Pending(Name origin) implements ZoneSlot { }

    /** Served from {@code content}. */
    record Ready(ZoneContent content) implements ZoneSlot {
        @Override
        public Name origin() {
            return content.origin();
        }
    }
}
