package org.paxosdns.zonestore.zone;

import java.util.function.Consumer;
import org.paxosdns.zonestore.blob.ContentHash;
import org.xbill.DNS.Record;

/**
 * Whatever a server builds from a zone's records (the DNS front end's index), fed while
 * {@link ParsedZoneCache} validates the zone at admission, so the node that admits a zone
 * parses its file once rather than again when it serves it. This module only streams the
 * records and says whether the zone passed; what is built and how long it is kept is the
 * implementer's.
 */
public interface ZoneIndexing {
    /** Indexing that builds nothing. */
    ZoneIndexing NONE = (fqdn, hash) -> new Session() {
        @Override
        public void accept(Record record) {
            // nothing to build
        }

        @Override
        public void finish(boolean valid) {
            // nothing was built
        }
    };

    /** Starts indexing the zone {@code fqdn} with content {@code hash}; its records follow in order. */
    Session open(String fqdn, ContentHash hash);

    /** One zone being indexed: receives its records, then {@link #finish} once. */
    interface Session extends Consumer<Record> {
        /**
         * The validation ended: keep what was built when {@code valid}, else drop it.
         *
         * @throws IllegalArgumentException when {@code valid} but the zone exceeds a bound of
         *     what is built; the zone is then refused, with the exception's message
         */
        void finish(boolean valid);
    }
}
