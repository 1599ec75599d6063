package org.paxosdns.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.util.Optional;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/**
 * Bytes in, bytes out: parses a query, asks the {@link Responder}, encodes the response within
 * the client's size limit (cutting at an RRset boundary and setting TC). Answers to simple
 * queries are cached already encoded, keyed by zone version (the {@link ZoneContent} instance),
 * name, type and size limit; a hit only patches the ID, the RD and CD bits and the case of the
 * question name. Never throws on bad input: unparseable queries get FORMERR, responses and
 * fragments shorter than a header are dropped.
 */
public final class QueryProcessor {
    /** Default bound of the answer cache, in entries. */
    public static final int answerCacheEntriesDefaultMax = 100_000;

    private static final int headerBytes = 12;
    private static final int questionOffset = 12;
    private static final int rdBit = 0x01;
    private static final int cdBit = 0x10;
    private static final int qrBit = 0x80;

    private final Responder responder;
    private final ZoneTable zones;
    private final Cache<CacheKey, byte[]> cache;

    /** A processor answering from {@code zones}, caching up to {@code answerCacheEntriesMax} answers (0: no cache). */
    public QueryProcessor(Responder responder, ZoneTable zones, int answerCacheEntriesMax) {
        this.responder = responder;
        this.zones = zones;
        this.cache = answerCacheEntriesMax <= 0 ? null
                : Caffeine.newBuilder().maximumSize(answerCacheEntriesMax).build();
    }

    private record CacheKey(ZoneContent zone, Name qname, int qtype, int limitBytes, boolean edns, boolean dnssecOk) { }

    /** The encoded response to {@code query}, or null when it must be dropped (not a query). */
    public byte[] process(byte[] query, boolean tcp) {
        if (query.length < headerBytes || (query[2] & qrBit) != 0) {
            return null;
        }
        CacheKey key = cache == null ? null : cacheKey(query, tcp);
        if (key != null) {
            byte[] cached = cache.getIfPresent(key);
            if (cached != null) {
                return patched(cached, query, key.qname().length());
            }
        }
        byte[] response = answerFully(query, tcp);
        if (key != null) {
            cache.put(key, response.clone());
        }
        return response;
    }

    private CacheKey cacheKey(byte[] query, boolean tcp) {
        SimpleQuery simple = SimpleQuery.parse(query);
        if (simple == null) {
            return null;
        }
        Optional<ZoneSlot> slot = Responder.zoneFor(simple.qname(), simple.qtype(), zones);
        if (slot.isEmpty() || !(slot.get() instanceof ZoneSlot.Ready ready)) {
            return null;
        }
        return new CacheKey(ready.content(), simple.qname(), simple.qtype(), limit(simple, tcp),
                simple.edns(), simple.dnssecOk());
    }

    private int limit(SimpleQuery simple, boolean tcp) {
        if (tcp) {
            return ResponderConfig.messageMaxBytes;
        }
        if (!simple.edns()) {
            return ResponderConfig.udpPayloadPlainBytes;
        }
        return responder.responseLimitBytes(simple.payloadBytes());
    }

    private static byte[] patched(byte[] cached, byte[] query, int nameBytes) {
        byte[] out = cached.clone();
        out[0] = query[0];
        out[1] = query[1];
        out[2] = (byte) ((out[2] & ~rdBit) | (query[2] & rdBit));
        out[3] = (byte) ((out[3] & ~cdBit) | (query[3] & cdBit));
        System.arraycopy(query, questionOffset, out, questionOffset, nameBytes);
        return out;
    }

    private byte[] answerFully(byte[] wire, boolean tcp) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException | RuntimeException e) {
            return formErrFor(wire);
        }
        Message response = responder.answer(query, zones);
        return response.toWire(responder.responseLimitBytes(query, tcp));
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
