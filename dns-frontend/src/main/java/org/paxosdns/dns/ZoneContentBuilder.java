package org.paxosdns.dns;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Builds a {@link ZoneContent} from records given one at a time (a zone parser can stream into
 * it, so no list of a million dnsjava records is ever held). Each record is kept as its owner's
 * id, type, TTL and rdata bytes; {@link #build()} sorts them by (owner, type, arrival) and lays
 * the RRsets out the way dnsjava's {@code RRset} would hold them: duplicates (same rdata)
 * dropped, first arrival first, the whole RRset at the lowest TTL given. RRSIG records count
 * but are not served (dnsjava filed them as signatures of the covered RRset, which answers
 * never included); a name holding only RRSIGs answers as an empty non-terminal. Not
 * thread-safe; use once.
 */
public final class ZoneContentBuilder {
    private static final int seqBits = 23;
    private static final int typeBits = 16;
    private static final int initialRecords = 1024;
    /** Up to this many records an RRset is checked for duplicates pairwise; above, with a hash set. */
    private static final int smallRRsetMax = 16;

    private final Name origin;
    private final String version;
    private final NameIndex names = new NameIndex(initialRecords);
    /** Per stored record: (owner id, type, arrival) packed so that sorting a long[] groups RRsets. */
    private long[] keys = new long[initialRecords];
    private int[] ttls = new int[initialRecords];
    /** Record {@code i}'s rdata is {@code rdata[rdataStarts[i] .. rdataStarts[i + 1])}. */
    private int[] rdataStarts = new int[initialRecords + 1];
    private byte[] rdata = new byte[initialRecords * 16];
    private int stored;
    private int recordCount;
    private boolean built;
    /** The previous record's owner and its id: a zone file lists a name's records together. */
    private Name lastOwner;
    private int lastOwnerId;

    ZoneContentBuilder(Name origin, String version) {
        if (!origin.isAbsolute()) {
            throw new IllegalArgumentException("zone origin must be absolute: " + origin);
        }
        this.origin = origin;
        this.version = version;
    }

    /**
     * Adds one record of the zone.
     *
     * @throws IllegalArgumentException when it is not of class IN, lies outside the zone, is an
     *     SOA below the apex, or the zone grows beyond {@link ZoneContent#zoneRecordsMax}
     */
    public void add(Record record) {
        checkRecord(record);
        if (++recordCount > ZoneContent.zoneRecordsMax) {
            throw new IllegalArgumentException("zone has more than " + ZoneContent.zoneRecordsMax + " records");
        }
        int owner = ownerId(record.getName());
        if (record.getType() == Type.RRSIG) {
            return;
        }
        byte[] wire = record.toWire(Section.ANSWER);
        int rdataOffset = record.getName().length() + 10;
        append(owner, record.getType(), (int) record.getTTL(), wire, rdataOffset, wire.length - rdataOffset);
    }

    /** The id of {@code name}; only a new owner costs a lookup in the index (any case is one name). */
    private int ownerId(Name name) {
        if (!name.equals(lastOwner)) {
            lastOwnerId = names.add(name.toWire(), 0);
            lastOwner = name;
        }
        return lastOwnerId;
    }

    private void checkRecord(Record record) {
        if (built) {
            throw new IllegalStateException("the zone was built already");
        }
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

    private void append(int owner, int type, int ttl, byte[] wire, int offset, int length) {
        if (stored == keys.length) {
            keys = Arrays.copyOf(keys, stored * 2);
            ttls = Arrays.copyOf(ttls, stored * 2);
            rdataStarts = Arrays.copyOf(rdataStarts, stored * 2 + 1);
        }
        int start = rdataStarts[stored];
        if (start + length > rdata.length) {
            rdata = Arrays.copyOf(rdata, Math.max(rdata.length * 2, start + length));
        }
        System.arraycopy(wire, offset, rdata, start, length);
        keys[stored] = ((long) owner << (typeBits + seqBits)) | ((long) type << seqBits) | stored;
        ttls[stored] = ttl;
        rdataStarts[stored + 1] = start + length;
        stored++;
    }

    /**
     * The indexed zone.
     *
     * @throws IllegalArgumentException when the apex does not hold exactly one SOA, or the owners
     *     imply more empty non-terminals than {@link ZoneContent#emptyNonTerminalsPerOwnerMax} allows
     */
    public ZoneContent build() {
        if (built) {
            throw new IllegalStateException("the zone was built already");
        }
        built = true;
        int owners = names.size();
        long[] sorted = Arrays.copyOf(keys, stored);
        keys = null;
        Arrays.sort(sorted);
        ByteSink out = new ByteSink(rdataStarts[stored] + stored * 4);
        int[] nodeStarts = new int[owners + 1];
        int next = 0;
        for (int id = 0; id < owners; id++) {
            nodeStarts[id] = out.size();
            while (next < stored && owner(sorted[next]) == id) {
                next = writeRRset(sorted, next, out);
            }
        }
        nodeStarts[owners] = out.size();
        addEmptyNonTerminals(owners);
        int[] allStarts = Arrays.copyOf(nodeStarts, names.size() + 1);
        Arrays.fill(allStarts, owners + 1, allStarts.length, out.size());
        names.trim();
        return new ZoneContent(origin, version, names, allStarts, out.toArray(), recordCount);
    }

    private static int owner(long key) {
        return (int) (key >>> (typeBits + seqBits));
    }

    private static int type(long key) {
        return (int) (key >>> seqBits) & 0xFFFF;
    }

    private static int seq(long key) {
        return (int) (key & ((1 << seqBits) - 1));
    }

    /** Writes the RRset starting at {@code sorted[first]}; returns the index after it. */
    private int writeRRset(long[] sorted, int first, ByteSink out) {
        int owner = owner(sorted[first]);
        int type = type(sorted[first]);
        int end = first;
        long ttl = Integer.MAX_VALUE & 0xFFFF_FFFFL;
        while (end < sorted.length && owner(sorted[end]) == owner && type(sorted[end]) == type) {
            ttl = Math.min(ttl, ttls[seq(sorted[end])] & 0xFFFF_FFFFL);
            end++;
        }
        int header = out.size();
        out.u16(type).s32((int) ttl).u16(0).s32(0);
        int count = 0;
        Set<ByteBuffer> seen = end - first > smallRRsetMax ? new HashSet<>() : null;
        for (int i = first; i < end; i++) {
            int seq = seq(sorted[i]);
            boolean duplicate = seen == null ? isDuplicate(sorted, first, i, seq)
                    : !seen.add(ByteBuffer.wrap(rdata, rdataStarts[seq], rdataStarts[seq + 1] - rdataStarts[seq]));
            if (!duplicate) {
                int length = rdataStarts[seq + 1] - rdataStarts[seq];
                out.u16(length).bytes(rdata, rdataStarts[seq], length);
                count++;
            }
        }
        out.patchU16(header + 6, count).patchS32(header + 8, out.size() - header - ZoneContent.rrsetHeaderBytes);
        return end;
    }

    private boolean isDuplicate(long[] sorted, int first, int i, int seq) {
        for (int j = first; j < i; j++) {
            int other = seq(sorted[j]);
            if (Arrays.equals(rdata, rdataStarts[seq], rdataStarts[seq + 1], rdata, rdataStarts[other], rdataStarts[other + 1])) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds every ancestor of an owner between it and the apex that is no owner itself, at most
     * {@link ZoneContent#emptyNonTerminalsPerOwnerMax} per owner (plus the slack) in all.
     */
    private void addEmptyNonTerminals(int owners) {
        int apexBytes = origin.length();
        long namesMax = owners + (long) owners * ZoneContent.emptyNonTerminalsPerOwnerMax + ZoneContent.emptyNonTerminalsSlack;
        for (int id = 0; id < owners; id++) {
            if (names.size() > namesMax) {
                throw new IllegalArgumentException("its " + owners + " owner names imply more than "
                        + (namesMax - owners) + " empty non-terminals (names between an owner and the apex that own"
                        + " nothing; at most " + ZoneContent.emptyNonTerminalsPerOwnerMax + " per owner are served)");
            }
            byte[] arena = names.arena();
            int start = names.start(id);
            int end = start + NameIndex.wireLength(arena, start);
            for (int p = start + (arena[start] & 0xFF) + 1; end - p > apexBytes; p += (arena[p] & 0xFF) + 1) {
                if (names.find(arena, p) >= 0) {
                    break;
                }
                names.add(arena, p);
                arena = names.arena();
            }
        }
    }

    /** A growing byte array with big-endian writes. */
    private static final class ByteSink {
        private byte[] bytes;
        private int size;

        ByteSink(int capacity) {
            bytes = new byte[Math.max(64, capacity)];
        }

        int size() {
            return size;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        ByteSink u16(int value) {
            ensure(2);
            patchU16(size, value);
            size += 2;
            return this;
        }

        ByteSink s32(int value) {
            ensure(4);
            patchS32(size, value);
            size += 4;
            return this;
        }

        ByteSink bytes(byte[] from, int offset, int length) {
            ensure(length);
            System.arraycopy(from, offset, bytes, size, length);
            size += length;
            return this;
        }

        ByteSink patchU16(int at, int value) {
            bytes[at] = (byte) (value >>> 8);
            bytes[at + 1] = (byte) value;
            return this;
        }

        ByteSink patchS32(int at, int value) {
            patchU16(at, value >>> 16);
            return patchU16(at + 2, value & 0xFFFF);
        }

        byte[] toArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
