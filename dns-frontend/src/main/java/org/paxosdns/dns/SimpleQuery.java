package org.paxosdns.dns;

import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * The shape of the common query, read straight from the wire without building a dnsjava
 * Message: one IN question, nothing else but at most one plain EDNS0 OPT (no options). Only
 * these queries use the answer cache; anything else takes the full path.
 *
 * @param qname the question name as sent (its case is patched back into cached answers)
 * @param nameWireBytes the length of the question name on the wire (uncompressed)
 * @param qtype the question type
 * @param edns whether the query has an OPT record
 * @param payloadBytes the advertised UDP payload (0 without EDNS)
 * @param dnssecOk the DO bit
 */
record SimpleQuery(Name qname, int nameWireBytes, int qtype, boolean edns, int payloadBytes, boolean dnssecOk) {
    private static final int headerBytes = 12;
    private static final int opcodeMask = 0x78;
    private static final int qrMask = 0x80;
    private static final int optFixedBytes = 11;
    private static final int doBit = 0x8000;

    /** Parses {@code wire} as a simple query, or returns null when it is anything else. */
    static SimpleQuery parse(byte[] wire) {
        if (wire.length < headerBytes + 5 || (wire[2] & (qrMask | opcodeMask)) != 0
                || u16(wire, 4) != 1 || u16(wire, 6) != 0 || u16(wire, 8) != 0 || u16(wire, 10) > 1) {
            return null;
        }
        try {
            DNSInput in = new DNSInput(wire);
            in.jump(headerBytes);
            Name qname = new Name(in);
            int nameBytes = in.current() - headerBytes;
            int qtype = in.readU16();
            int qclass = in.readU16();
            if (qclass != DClass.IN || qtype == Type.AXFR || qtype == Type.IXFR || qtype == Type.OPT
                    || qtype == Type.TSIG || qtype == Type.TKEY || nameBytes != qname.length()) {
                return null;
            }
            if (u16(wire, 10) == 0) {
                return in.remaining() == 0 ? new SimpleQuery(qname, nameBytes, qtype, false, 0, false) : null;
            }
            return withOpt(wire, in.current(), qname, nameBytes, qtype);
        } catch (WireParseException e) {
            return null;
        }
    }

    private static SimpleQuery withOpt(byte[] wire, int at, Name qname, int nameBytes, int qtype) {
        if (wire.length != at + optFixedBytes || wire[at] != 0 || u16(wire, at + 1) != Type.OPT
                || wire[at + 5] != 0 || wire[at + 6] != 0 || u16(wire, at + 9) != 0) {
            return null;
        }
        int payload = u16(wire, at + 3);
        boolean dnssecOk = (u16(wire, at + 7) & doBit) != 0;
        return new SimpleQuery(qname, nameBytes, qtype, true, payload, dnssecOk);
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

}
