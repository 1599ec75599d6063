package org.paxosdns.dns;

import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * The shape of the common query, read straight from the wire without building a dnsjava
 * Message: one IN question, nothing else but at most one plain EDNS0 OPT (no options). Only
 * these queries use the answer cache; anything else takes the full path. The question name is
 * only measured here (labels of at most 63 bytes, no compression, at most 255 bytes); a
 * dnsjava {@link Name} is built only when the cache misses.
 *
 * @param wire the query
 * @param nameBytes the length of the question name on the wire, from offset 12
 * @param qtype the question type
 * @param edns whether the query has an OPT record
 * @param payloadBytes the advertised UDP payload (0 without EDNS)
 * @param dnssecOk the DO bit
 */
record SimpleQuery(byte[] wire, int nameBytes, int qtype, boolean edns, int payloadBytes, boolean dnssecOk) {
    static final int questionOffset = 12;
    private static final int opcodeMask = 0x78;
    private static final int qrMask = 0x80;
    private static final int optFixedBytes = 11;
    private static final int doBit = 0x8000;
    private static final int labelMaxBytes = 63;
    private static final int nameMaxBytes = 255;

    /** Parses {@code wire} as a simple query, or returns null when it is anything else. */
    static SimpleQuery parse(byte[] wire) {
        if (wire.length < questionOffset + 5 || (wire[2] & (qrMask | opcodeMask)) != 0
                || u16(wire, 4) != 1 || u16(wire, 6) != 0 || u16(wire, 8) != 0 || u16(wire, 10) > 1) {
            return null;
        }
        int nameBytes = nameBytes(wire);
        int at = questionOffset + nameBytes;
        if (nameBytes < 0 || at + 4 > wire.length) {
            return null;
        }
        int qtype = u16(wire, at);
        if (u16(wire, at + 2) != DClass.IN || qtype == Type.AXFR || qtype == Type.IXFR || qtype == Type.OPT
                || qtype == Type.TSIG || qtype == Type.TKEY) {
            return null;
        }
        at += 4;
        if (u16(wire, 10) == 0) {
            return at == wire.length ? new SimpleQuery(wire, nameBytes, qtype, false, 0, false) : null;
        }
        return withOpt(wire, at, nameBytes, qtype);
    }

    /** The length of the uncompressed question name, or -1 when it is not one. */
    private static int nameBytes(byte[] wire) {
        int at = questionOffset;
        while (at < wire.length) {
            int label = wire[at] & 0xFF;
            if (label > labelMaxBytes) {
                return -1;
            }
            at += label + 1;
            if (at - questionOffset > nameMaxBytes) {
                return -1;
            }
            if (label == 0) {
                return at - questionOffset;
            }
        }
        return -1;
    }

    private static SimpleQuery withOpt(byte[] wire, int at, int nameBytes, int qtype) {
        if (wire.length != at + optFixedBytes || wire[at] != 0 || u16(wire, at + 1) != Type.OPT
                || wire[at + 5] != 0 || wire[at + 6] != 0 || u16(wire, at + 9) != 0) {
            return null;
        }
        int payload = u16(wire, at + 3);
        boolean dnssecOk = (u16(wire, at + 7) & doBit) != 0;
        return new SimpleQuery(wire, nameBytes, qtype, true, payload, dnssecOk);
    }

    /** The question name as a dnsjava Name (the slow path only). */
    Name qname() {
        DNSInput in = new DNSInput(wire);
        in.jump(questionOffset);
        try {
            return new Name(in);
        } catch (WireParseException e) {
            throw new IllegalStateException("question name was checked by parse", e);
        }
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }
}
