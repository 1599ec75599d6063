package org.paxosdns.dns;

import org.xbill.DNS.RRset;

/**
 * What a zone holds for one (name, type): the result kinds of an authoritative lookup, in the
 * manner of CoreDNS's file plugin. {@code wildcard} tells that the answer was synthesized from
 * a wildcard (RFC 4592), with the owner already rewritten to the query name.
 */
public sealed interface LookupResult {
    /** The RRset of the asked type (or, for ANY, the one RRset chosen). */
    record Answer(RRset rrset, boolean wildcard) implements LookupResult { }

    /** The name is an alias: the CNAME RRset, owner = the name looked up. */
    record Cname(RRset cname, boolean wildcard) implements LookupResult { }

    /** A DNAME at an ancestor redirects the whole subtree. */
    record Dname(RRset dname) implements LookupResult { }

    /** The name is at or below a zone cut: the NS RRset of the cut. */
    record Delegation(RRset ns) implements LookupResult { }

    /** The name exists but holds no RRset of the asked type. */
    record NoData(boolean wildcard) implements LookupResult { }

    /** The name does not exist, and no wildcard covers it. */
    record NxDomain() implements LookupResult { }
}
