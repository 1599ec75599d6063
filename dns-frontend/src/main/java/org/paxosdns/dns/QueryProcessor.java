package org.paxosdns.dns;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIGRecord;

/**
 * Bytes in, bytes out: parses a query, asks the {@link Responder}, encodes the response within
 * the client's size limit (cutting at an RRset boundary and setting TC). Answers to simple
 * queries are cached already encoded in an {@link AnswerCache}, keyed by name, type and size
 * limit and checked against the zone version; a hit only patches the ID, the RD and CD bits
 * and the case of the question name, and needs no zone lookup while the zone table is
 * unchanged. Never throws on bad input: unparseable queries get FORMERR, responses and
 * fragments shorter than a header are dropped.
 */
public final class QueryProcessor {
    /** Default size of the answer cache, in entries (each a few hundred bytes when filled). */
    public static final int answerCacheEntriesDefaultMax = 1 << 19;

    private static final int headerBytes = 12;
    private static final int questionOffset = SimpleQuery.questionOffset;
    private static final int qrBit = 0x80;

    private final Responder responder;
    private final ZoneTable zones;
    private final AnswerCache cache;
    private final TsigKeyring keyring;

    /** A processor answering from {@code zones}, caching up to {@code answerCacheEntriesMax} answers (0: no cache). */
    public QueryProcessor(Responder responder, ZoneTable zones, int answerCacheEntriesMax) {
        this(responder, zones, answerCacheEntriesMax, TsigKeyring.empty);
    }

    /** As above; queries signed with a key of {@code keyring} get signed answers, others NOTAUTH. */
    public QueryProcessor(Responder responder, ZoneTable zones, int answerCacheEntriesMax, TsigKeyring keyring) {
        this.responder = responder;
        this.zones = zones;
        this.cache = answerCacheEntriesMax <= 0 ? null : new AnswerCache(answerCacheEntriesMax);
        this.keyring = keyring;
    }

    /** The encoded response to {@code query}, or null when it must be dropped (not a query). */
    public byte[] process(byte[] query, boolean tcp) {
        if (query.length < headerBytes || (query[2] & qrBit) != 0) {
            return null;
        }
        long shape = cache == null ? SimpleQuery.notSimple : SimpleQuery.shape(query, query.length);
        if (shape == SimpleQuery.notSimple) {
            return answerFully(query, tcp);
        }
        int nameBytes = SimpleQuery.nameBytes(shape);
        int qtype = SimpleQuery.qtype(shape);
        int variant = variant(shape, tcp);
        int hash = AnswerCache.hash(query, questionOffset, nameBytes, qtype, variant);
        long generation = zones.generation();
        AnswerCache.Entry entry = cache.get(hash, query, questionOffset, nameBytes, qtype, variant);
        if (entry != null && entry.generation() == generation) {
            return patched(entry, query);
        }
        ZoneContent zone = readyZone(query, qtype);
        if (zone == null) {
            return answerFully(query, tcp);
        }
        if (entry != null && entry.zone() == zone) {
            cache.refresh(entry, generation);
            return patched(entry, query);
        }
        byte[] response = answerFully(query, tcp);
        cache.put(hash, zone, generation, query, questionOffset, nameBytes, qtype, variant, response);
        return response;
    }

    /**
     * The answer cache's current answer to the first {@code length} bytes of {@code query}, or
     * null when it holds none (then {@link #process} answers). Looks at nothing else and
     * allocates nothing: the fast path of a UDP front end, which writes the answer straight
     * into its send buffer with {@link CachedAnswer#writeTo}. Null for anything
     * {@link #process} would drop, refuse or answer otherwise than from the cache.
     */
    public CachedAnswer cached(byte[] query, int length, boolean tcp) {
        if (cache == null || length < headerBytes || (query[2] & qrBit) != 0) {
            return null;
        }
        long shape = SimpleQuery.shape(query, length);
        if (shape == SimpleQuery.notSimple) {
            return null;
        }
        int nameBytes = SimpleQuery.nameBytes(shape);
        int qtype = SimpleQuery.qtype(shape);
        int variant = variant(shape, tcp);
        int hash = AnswerCache.hash(query, questionOffset, nameBytes, qtype, variant);
        long generation = zones.generation();
        AnswerCache.Entry entry = cache.get(hash, query, questionOffset, nameBytes, qtype, variant);
        return entry != null && entry.generation() == generation ? entry : null;
    }

    private ZoneContent readyZone(byte[] query, int qtype) {
        Optional<ZoneSlot> slot = Responder.zoneFor(SimpleQuery.qname(query), qtype, zones);
        return slot.isPresent() && slot.get() instanceof ZoneSlot.Ready ready ? ready.content() : null;
    }

    /** What besides the question shapes the answer: the size limit, EDNS and the DO bit. */
    private int variant(long shape, boolean tcp) {
        boolean edns = SimpleQuery.edns(shape);
        int limit = tcp ? ResponderConfig.messageMaxBytes
                : edns ? responder.responseLimitBytes(SimpleQuery.payloadBytes(shape)) : ResponderConfig.udpPayloadPlainBytes;
        return (limit << 2) | (edns ? 2 : 0) | (SimpleQuery.dnssecOk(shape) ? 1 : 0);
    }

    /** A fresh copy of a cached response, made the answer to {@code query}. */
    private static byte[] patched(CachedAnswer entry, byte[] query) {
        byte[] out = new byte[entry.length()];
        entry.writeTo(ByteBuffer.wrap(out), query);
        return out;
    }

    private byte[] answerFully(byte[] wire, boolean tcp) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException | RuntimeException e) {
            return formErrFor(wire);
        }
        TSIGRecord signature = TsigKeyring.signatureOf(query);
        if (signature != null) {
            return signedAnswer(query, wire, signature, tcp);
        }
        Message response = responder.answer(query, zones);
        return response.toWire(responder.responseLimitBytes(query, tcp));
    }

    /**
     * RFC 8945: a verified query gets its answer signed with the same key; a failed check gets
     * NOTAUTH with the TSIG error (BADKEY and BADSIG unsigned, BADTIME signed), no question,
     * as NSD answers.
     */
    private byte[] signedAnswer(Message query, byte[] wire, TSIGRecord signature, boolean tcp) {
        TsigKeyring.Check check = keyring.check(query, wire, signature);
        Message response = check.verified() ? responder.answer(query, zones) : responder.headerOnly(query, Rcode.NOTAUTH);
        return keyring.sign(response, check, signature, responder.responseLimitBytes(query, tcp));
    }

    /** FORMERR with the query's ID and opcode and nothing else: its body could not be read. */
    public static byte[] formErrFor(byte[] wire) {
        Message response = new Message(SimpleQuery.u16(wire, 0));
        Header h = response.getHeader();
        h.setFlag(Flags.QR);
        h.setOpcode((wire[2] >> 3) & 0xF);
        h.setRcode(Rcode.FORMERR);
        return response.toWire();
    }
}
