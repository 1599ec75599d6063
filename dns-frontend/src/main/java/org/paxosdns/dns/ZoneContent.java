package org.paxosdns.dns;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * One immutable version of a served zone, indexed for lookup: the RRsets of every owner name,
 * the names that exist only as empty non-terminals, the delegation points and the SOA used in
 * negative answers. {@link #lookup(Name, int)} classifies a name the way Knot DNS and NSD do
 * (answer, CNAME, DNAME, delegation, NODATA, NXDOMAIN), following RFC 4592 for wildcards. The
 * {@code version} is the hex SHA3-256 of the zone file this content was parsed from; the answer
 * cache uses the instance itself as the version key.
 *
 * <p>The zone is kept compact, as wire-format bytes: owner names in a {@link NameIndex}, and
 * per name its RRsets sorted by type code in one shared array, each as {@code type (2) ttl (4)
 * count (2) bytes (4)} followed by {@code count} times {@code rdlength (2) rdata}. dnsjava
 * records are made only for the RRsets an answer uses (the answer cache covers repeats): a
 * dnsjava {@code Record} with its {@code Name} and {@code RRset} costs about 250 bytes of heap
 * a record, these arrays about 40.
 */
public final class ZoneContent {
    /** Records in one zone version, a guard against a runaway zone exhausting the heap. */
    public static final int zoneRecordsMax = 5_000_000;
    /**
     * Empty non-terminals one zone may imply per owner name (with {@link #emptyNonTerminalsSlack}
     * more): service names like {@code _sip._tcp.host} imply two or three each, but an owner of 126
     * labels whose ancestors are no owners implies 125, so a small file of deep names would
     * otherwise multiply into gigabytes of index.
     */
    public static final int emptyNonTerminalsPerOwnerMax = 4;
    /** Empty non-terminals a zone may have on top of {@link #emptyNonTerminalsPerOwnerMax} per owner. */
    public static final int emptyNonTerminalsSlack = 65_536;

    static final int rrsetHeaderBytes = 12;
    private static final byte[] wildcardLabel = {1, '*'};

    private final Name origin;
    private final String version;
    private final NameIndex names;
    /** Node {@code id}'s RRsets are {@code data[nodeStarts[id] .. nodeStarts[id + 1])}; none: an empty non-terminal. */
    private final int[] nodeStarts;
    private final byte[] data;
    private final SOARecord soa;
    private final SOARecord negativeSoa;
    private final int recordCount;

    ZoneContent(Name origin, String version, NameIndex names, int[] nodeStarts, byte[] data, int recordCount) {
        this.origin = origin;
        this.version = version;
        this.names = names;
        this.nodeStarts = nodeStarts;
        this.data = data;
        this.recordCount = recordCount;
        int apex = names.find(origin.toWireCanonical(), 0);
        int soaAt = apex < 0 ? -1 : findRRset(apex, Type.SOA);
        RRset soaSet = soaAt < 0 ? null : rrsetAt(soaAt, ownerName(apex));
        if (soaSet == null || soaSet.size() != 1) {
            throw new IllegalArgumentException("zone " + origin + " needs exactly one SOA at its apex");
        }
        this.soa = (SOARecord) soaSet.first();
        this.negativeSoa = new SOARecord(soa.getName(), soa.getDClass(),
                Math.min(soa.getTTL(), soa.getMinimum()), soa.getHost(), soa.getAdmin(),
                soa.getSerial(), soa.getRefresh(), soa.getRetry(), soa.getExpire(), soa.getMinimum());
    }

    /** A builder that takes the zone's records one at a time, so the caller need not hold them all. */
    public static ZoneContentBuilder builder(Name origin, String version) {
        return new ZoneContentBuilder(origin, Objects.requireNonNull(version, "version"));
    }

    /**
     * Indexes {@code records} as the zone {@code origin}. Every record must be of class IN and
     * inside the zone, and the apex must hold exactly one SOA.
     *
     * @throws IllegalArgumentException when the records do not form a zone
     */
    public static ZoneContent build(Name origin, List<Record> records, String version) {
        ZoneContentBuilder builder = builder(origin, version);
        records.forEach(builder::add);
        return builder.build();
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

    /** How many records the zone was built from. */
    public int recordCount() {
        return recordCount;
    }

    /** Every record of the zone, the SOA first (the order of an AXFR body). */
    public List<Record> records() {
        List<Record> all = new ArrayList<>(recordCount);
        all.add(soa);
        for (int id = 0; id < names.size(); id++) {
            Name owner = null;
            for (int pos = nodeStarts[id]; pos < nodeStarts[id + 1]; pos = nextRRset(pos)) {
                if (u16(pos) != Type.SOA) {
                    owner = owner == null ? ownerName(id) : owner;
                    all.addAll(rrsetAt(pos, owner).rrs(false));
                }
            }
        }
        return all;
    }

    /**
     * Classifies {@code qname} (inside this zone) for {@code qtype}: walks down from the apex
     * looking for a zone cut or a DNAME above the name, then the name itself, then the wildcard
     * at its closest encloser.
     */
    public LookupResult lookup(Name qname, int qtype) {
        byte[] key = qname.toWireCanonical();
        int[] labelStarts = labelStarts(key, qname.labels());
        int depth = qname.labels() - origin.labels();
        LookupResult above = cutOrDnameAbove(key, labelStarts, depth, qtype);
        if (above != null) {
            return above;
        }
        int id = names.find(key, 0);
        if (id >= 0) {
            return isEmptyNonTerminal(id) ? new LookupResult.NoData(false) : atNode(id, ownerName(id), qtype, false);
        }
        int wildcard = names.find(wildcardAt(key, closestEncloser(key, labelStarts, depth)), 0);
        if (wildcard < 0) {
            return new LookupResult.NxDomain();
        }
        return atNode(wildcard, qname, qtype, true);
    }

    private LookupResult cutOrDnameAbove(byte[] key, int[] labelStarts, int depth, int qtype) {
        for (int skip = depth - 1; skip >= 0; skip--) {
            int id = names.find(key, labelStarts[skip]);
            if (id < 0) {
                continue;
            }
            int ns = findRRset(id, Type.NS);
            if (ns >= 0 && !(skip == 0 && qtype == Type.DS)) {
                return new LookupResult.Delegation(rrsetAt(ns, ownerName(id)));
            }
            int dname = findRRset(id, Type.DNAME);
            if (dname >= 0 && skip > 0) {
                return new LookupResult.Dname(rrsetAt(dname, ownerName(id)));
            }
        }
        return null;
    }

    private LookupResult atNode(int id, Name owner, int qtype, boolean wildcard) {
        int cname = findRRset(id, Type.CNAME);
        if (cname >= 0 && qtype != Type.CNAME) {
            return new LookupResult.Cname(rrsetAt(cname, owner), wildcard);
        }
        int answer = qtype == Type.ANY ? firstRRset(id) : findRRset(id, qtype);
        if (answer < 0) {
            return new LookupResult.NoData(wildcard);
        }
        return new LookupResult.Answer(rrsetAt(answer, owner), wildcard);
    }

    /** The offset in {@code key} of the closest encloser: the nearest existing ancestor, else the apex. */
    private int closestEncloser(byte[] key, int[] labelStarts, int depth) {
        for (int skip = 1; skip < depth; skip++) {
            if (names.find(key, labelStarts[skip]) >= 0) {
                return labelStarts[skip];
            }
        }
        return labelStarts[depth];
    }

    private static byte[] wildcardAt(byte[] key, int encloser) {
        byte[] wildcard = new byte[wildcardLabel.length + key.length - encloser];
        System.arraycopy(wildcardLabel, 0, wildcard, 0, wildcardLabel.length);
        System.arraycopy(key, encloser, wildcard, wildcardLabel.length, key.length - encloser);
        return wildcard;
    }

    private static int[] labelStarts(byte[] wire, int labels) {
        int[] starts = new int[labels];
        int p = 0;
        for (int i = 0; i < labels; i++) {
            starts[i] = p;
            p += (wire[p] & 0xFF) + 1;
        }
        return starts;
    }

    /** The A and AAAA RRsets at {@code name} in this zone, for additional-section processing. */
    List<RRset> addresses(Name name) {
        int id = names.find(name.toWireCanonical(), 0);
        if (id < 0) {
            return List.of();
        }
        List<RRset> sets = new ArrayList<>(2);
        int a = findRRset(id, Type.A);
        int aaaa = findRRset(id, Type.AAAA);
        Name owner = a >= 0 || aaaa >= 0 ? ownerName(id) : null;
        if (a >= 0) {
            sets.add(rrsetAt(a, owner));
        }
        if (aaaa >= 0) {
            sets.add(rrsetAt(aaaa, owner));
        }
        return sets;
    }

    private boolean isEmptyNonTerminal(int id) {
        return nodeStarts[id] == nodeStarts[id + 1];
    }

    private int findRRset(int id, int type) {
        for (int pos = nodeStarts[id]; pos < nodeStarts[id + 1]; pos = nextRRset(pos)) {
            if (u16(pos) == type) {
                return pos;
            }
        }
        return -1;
    }

    /** The RRset with the lowest type code: the one RRset a minimal ANY answer gives (RFC 8482). */
    private int firstRRset(int id) {
        return isEmptyNonTerminal(id) ? -1 : nodeStarts[id];
    }

    private int nextRRset(int pos) {
        return pos + rrsetHeaderBytes + s32(pos + 8);
    }

    private Name ownerName(int id) {
        DNSInput in = new DNSInput(names.arena());
        in.jump(names.start(id));
        try {
            return new Name(in);
        } catch (WireParseException e) {
            throw new IllegalStateException("a stored owner name does not parse", e);
        }
    }

    /** The dnsjava RRset stored at {@code pos}, its records owned by {@code owner}. */
    private RRset rrsetAt(int pos, Name owner) {
        int type = u16(pos);
        long ttl = s32(pos + 2) & 0xFFFF_FFFFL;
        int count = u16(pos + 6);
        RRset set = new RRset();
        int p = pos + rrsetHeaderBytes;
        for (int i = 0; i < count; i++) {
            int length = u16(p);
            byte[] rdata = Arrays.copyOfRange(data, p + 2, p + 2 + length);
            set.addRR(Record.newRecord(owner, type, DClass.IN, ttl, length, rdata));
            p += 2 + length;
        }
        return set;
    }

    private int u16(int pos) {
        return ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
    }

    private int s32(int pos) {
        return (u16(pos) << 16) | u16(pos + 2);
    }
}
