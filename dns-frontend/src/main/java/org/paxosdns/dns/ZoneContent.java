package org.paxosdns.dns;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * One immutable version of a served zone, indexed for lookup: the RRsets of every owner name,
 * the names that exist only as empty non-terminals, the delegation points and the SOA used in
 * negative answers. {@link #lookup(Name, int)} classifies a name the way Knot DNS and NSD do
 * (answer, CNAME, DNAME, delegation, NODATA, NXDOMAIN), following RFC 4592 for wildcards. The
 * {@code version} is the hex SHA3-256 of the zone file this content was parsed from; the answer
 * cache uses the instance itself as the version key.
 */
public final class ZoneContent {
    /** Records in one zone version, a guard against a runaway zone exhausting the heap. */
    public static final int zoneRecordsMax = 5_000_000;

    private static final Name wildcardLabel = Name.fromConstantString("*");

    private final Name origin;
    private final String version;
    private final Map<Name, ZoneNode> nodes;
    private final Set<Name> emptyNonTerminals;
    private final SOARecord soa;
    private final SOARecord negativeSoa;
    private final int recordCount;

    private ZoneContent(Name origin, String version, Map<Name, ZoneNode> nodes,
                        Set<Name> emptyNonTerminals, SOARecord soa, int recordCount) {
        this.origin = origin;
        this.version = version;
        this.nodes = nodes;
        this.emptyNonTerminals = emptyNonTerminals;
        this.soa = soa;
        this.negativeSoa = new SOARecord(soa.getName(), soa.getDClass(),
                Math.min(soa.getTTL(), soa.getMinimum()), soa.getHost(), soa.getAdmin(),
                soa.getSerial(), soa.getRefresh(), soa.getRetry(), soa.getExpire(), soa.getMinimum());
        this.recordCount = recordCount;
    }

    /**
     * Indexes {@code records} as the zone {@code origin}. Every record must be of class IN and
     * inside the zone, and the apex must hold exactly one SOA.
     *
     * @throws IllegalArgumentException when the records do not form a zone
     */
    public static ZoneContent build(Name origin, List<Record> records, String version) {
        Objects.requireNonNull(version, "version");
        if (!origin.isAbsolute()) {
            throw new IllegalArgumentException("zone origin must be absolute: " + origin);
        }
        if (records.size() > zoneRecordsMax) {
            throw new IllegalArgumentException("zone has " + records.size() + " records, limit " + zoneRecordsMax);
        }
        Map<Name, ZoneNode.Builder> builders = new HashMap<>();
        for (Record record : records) {
            checkRecord(origin, record);
            builders.computeIfAbsent(record.getName(), n -> new ZoneNode.Builder()).add(record);
        }
        Map<Name, ZoneNode> nodes = new HashMap<>(builders.size() * 2);
        builders.forEach((name, builder) -> nodes.put(name, builder.build()));
        ZoneNode apex = nodes.get(origin);
        RRset soaSet = apex == null ? null : apex.rrset(Type.SOA);
        if (soaSet == null || soaSet.size() != 1) {
            throw new IllegalArgumentException("zone " + origin + " needs exactly one SOA at its apex");
        }
        return new ZoneContent(origin, version, nodes, emptyNonTerminals(origin, nodes.keySet()),
                (SOARecord) soaSet.first(), records.size());
    }

    private static void checkRecord(Name origin, Record record) {
        if (record.getDClass() != DClass.IN) {
            throw new IllegalArgumentException("record not of class IN: " + record);
        }
        if (!record.getName().subdomain(origin)) {
            throw new IllegalArgumentException("record outside zone " + origin + ": " + record);
        }
        if (record.getType() == Type.SOA && !record.getName().equals(origin)) {
            throw new IllegalArgumentException("SOA below the apex: " + record);
        }
    }

    private static Set<Name> emptyNonTerminals(Name origin, Set<Name> owners) {
        Set<Name> ents = new HashSet<>();
        for (Name owner : owners) {
            for (Name n = parent(owner); n != null && !n.equals(origin) && n.subdomain(origin); n = parent(n)) {
                if (owners.contains(n) || !ents.add(n)) {
                    break;
                }
            }
        }
        return Collections.unmodifiableSet(ents);
    }

    static Name parent(Name name) {
        return name.labels() <= 1 ? null : new Name(name, 1);
    }

    /** The zone's apex name. */
    public Name origin() {
        return origin;
    }

    /** The hex SHA3-256 of the zone file this version was built from. */
    public String version() {
        return version;
    }

    /** The apex SOA as stored. */
    public SOARecord soa() {
        return soa;
    }

    /** The SOA for negative answers: TTL = min(SOA TTL, SOA minimum) (RFC 2308). */
    public SOARecord negativeSoa() {
        return negativeSoa;
    }

    /** How many records the zone holds. */
    public int recordCount() {
        return recordCount;
    }

    /** The node at exactly {@code name}, or null. */
    ZoneNode node(Name name) {
        return nodes.get(name);
    }

    /** Every record of the zone, the SOA first (the order of an AXFR body). */
    public List<Record> records() {
        List<Record> all = new ArrayList<>(recordCount);
        all.add(soa);
        nodes.forEach((name, node) -> node.forEachRRset(set -> {
            if (set.getType() != Type.SOA) {
                all.addAll(set.rrs(false));
            }
        }));
        return all;
    }

    /**
     * Classifies {@code qname} (inside this zone) for {@code qtype}: walks down from the apex
     * looking for a zone cut or a DNAME above the name, then the name itself, then the wildcard
     * at its closest encloser.
     */
    public LookupResult lookup(Name qname, int qtype) {
        LookupResult above = cutOrDnameAbove(qname, qtype);
        if (above != null) {
            return above;
        }
        ZoneNode node = nodes.get(qname);
        if (node != null) {
            return atNode(qname, node, qtype, false);
        }
        if (emptyNonTerminals.contains(qname)) {
            return new LookupResult.NoData(false);
        }
        Name encloser = closestEncloser(qname);
        ZoneNode wildcard = nodes.get(concat(wildcardLabel, encloser));
        if (wildcard == null) {
            return new LookupResult.NxDomain();
        }
        return atNode(qname, wildcard, qtype, true);
    }

    private LookupResult cutOrDnameAbove(Name qname, int qtype) {
        int depth = qname.labels() - origin.labels();
        for (int skip = depth - 1; skip >= 0; skip--) {
            Name ancestor = skip == 0 ? qname : new Name(qname, skip);
            ZoneNode node = nodes.get(ancestor);
            if (node == null) {
                continue;
            }
            RRset ns = node.rrset(Type.NS);
            if (ns != null && !(skip == 0 && qtype == Type.DS)) {
                return new LookupResult.Delegation(ns);
            }
            RRset dname = node.rrset(Type.DNAME);
            if (dname != null && skip > 0) {
                return new LookupResult.Dname(dname);
            }
        }
        return null;
    }

    private LookupResult atNode(Name qname, ZoneNode node, int qtype, boolean wildcard) {
        RRset cname = node.rrset(Type.CNAME);
        if (cname != null && qtype != Type.CNAME) {
            return new LookupResult.Cname(rename(cname, qname, wildcard), wildcard);
        }
        RRset answer = qtype == Type.ANY ? node.firstRRset() : node.rrset(qtype);
        if (answer == null) {
            return new LookupResult.NoData(wildcard);
        }
        return new LookupResult.Answer(rename(answer, qname, wildcard), wildcard);
    }

    private static RRset rename(RRset set, Name owner, boolean wildcard) {
        if (!wildcard) {
            return set;
        }
        RRset renamed = new RRset();
        for (Record r : set.rrs(false)) {
            renamed.addRR(r.withName(owner));
        }
        return renamed;
    }

    private Name closestEncloser(Name qname) {
        for (Name n = parent(qname); n != null; n = parent(n)) {
            if (n.equals(origin) || nodes.containsKey(n) || emptyNonTerminals.contains(n)) {
                return n;
            }
        }
        return origin;
    }

    private static Name concat(Name prefix, Name suffix) {
        try {
            return Name.concatenate(prefix, suffix);
        } catch (org.xbill.DNS.NameTooLongException e) {
            throw new IllegalStateException("a wildcard of an existing name cannot be too long", e);
        }
    }

    /** The A and AAAA RRsets at {@code name} in this zone, for additional-section processing. */
    List<RRset> addresses(Name name) {
        ZoneNode node = nodes.get(name);
        if (node == null) {
            return List.of();
        }
        List<RRset> sets = new ArrayList<>(2);
        RRset a = node.rrset(Type.A);
        if (a != null) {
            sets.add(a);
        }
        RRset aaaa = node.rrset(Type.AAAA);
        if (aaaa != null) {
            sets.add(aaaa);
        }
        return sets;
    }
}
