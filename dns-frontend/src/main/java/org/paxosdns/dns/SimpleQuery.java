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
 * <p>The shape is packed in one {@code long} (question name length, type, advertised payload,
 * EDNS and DO bits; negative when the query is not simple) rather than a record: it is read for
 * every UDP query, and a returned object is an allocation per query that the JIT does not
 * reliably remove.
 */
final class SimpleQuery {
    static final int questionOffset = 12;
    /** {@link #shape} of a query that is not simple. */
    static final long notSimple = -1;
    private static final int opcodeMask = 0x78;
    private static final int qrMask = 0x80;
    private static final int optFixedBytes = 11;
    private static final int doBit = 0x8000;
    private static final int labelMaxBytes = 63;
    private static final int nameMaxBytes = 255;
    private static final int qtypeShift = 16;
    private static final int payloadShift = 32;
    private static final long ednsFlag = 1L << 48;
    private static final long dnssecOkFlag = 1L << 49;

    private SimpleQuery() {
    }

    /** The shape of the first {@code length} bytes of {@code wire} as a simple query, or {@link #notSimple}. */
    static long shape(byte[] wire, int length) {
        if (length < questionOffset + 5 || (wire[2] & (qrMask | opcodeMask)) != 0
                || u16(wire, 4) != 1 || u16(wire, 6) != 0 || u16(wire, 8) != 0 || u16(wire, 10) > 1) {
            return notSimple;
        }
        int nameBytes = nameBytes(wire, length);
        int at = questionOffset + nameBytes;
        if (nameBytes < 0 || at + 4 > length) {
            return notSimple;
        }
        int qtype = u16(wire, at);
        if (u16(wire, at + 2) != DClass.IN || qtype == Type.AXFR || qtype == Type.IXFR || qtype == Type.OPT
                || qtype == Type.TSIG || qtype == Type.TKEY) {
            return notSimple;
        }
        at += 4;
        long question = nameBytes | ((long) qtype << qtypeShift);
        if (u16(wire, 10) == 0) {
            return at == length ? question : notSimple;
        }
        return withOpt(wire, length, at, question);
    }

    /** The length of the uncompressed question name, or -1 when it is not one. */
    private static int nameBytes(byte[] wire, int length) {
        int at = questionOffset;
        while (at < length) {
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

    private static long withOpt(byte[] wire, int length, int at, long question) {
        if (length != at + optFixedBytes || wire[at] != 0 || u16(wire, at + 1) != Type.OPT
                || wire[at + 5] != 0 || wire[at + 6] != 0 || u16(wire, at + 9) != 0) {
            return notSimple;
        }
        long payload = (long) u16(wire, at + 3) << payloadShift;
        long dnssecOk = (u16(wire, at + 7) & doBit) != 0 ? dnssecOkFlag : 0;
        return question | payload | ednsFlag | dnssecOk;
    }

    /** Bytes of the question name on the wire, from offset 12. */
    static int nameBytes(long shape) {
        return (int) (shape & 0x1FF);
    }

    static int qtype(long shape) {
        return (int) (shape >>> qtypeShift) & 0xFFFF;
    }

    /** Whether the query has an OPT record. */
    static boolean edns(long shape) {
        return (shape & ednsFlag) != 0;
    }

    /** The advertised UDP payload (0 without EDNS). */
    static int payloadBytes(long shape) {
        return (int) (shape >>> payloadShift) & 0xFFFF;
    }

    /** The DO bit. */
    static boolean dnssecOk(long shape) {
        return (shape & dnssecOkFlag) != 0;
    }

    /** The question name of a simple query as a dnsjava Name (the slow path only). */
    static Name qname(byte[] wire) {
        DNSInput in = new DNSInput(wire);
        in.jump(questionOffset);
        try {
            return new Name(in);
        } catch (WireParseException e) {
            throw new IllegalStateException("question name was checked by shape", e);
        }
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }
}
