package org.paxosdns.dns.net;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.paxosdns.dns.TsigKeyring;
import org.paxosdns.dns.ZoneContent;
import org.paxosdns.dns.ZoneSlot;
import org.paxosdns.dns.ZoneTable;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * AXFR over TCP (RFC 5936): the whole zone, SOA first and last, in messages of at most
 * {@link #transferMessageMaxBytes}. Allowed to configured client addresses, or to any client
 * whose request carries a valid TSIG signature by a configured key (then every message is
 * signed, RFC 8945 section 5.3.1); REFUSED otherwise, NOTAUTH for a bad signature. IXFR is
 * answered with a full transfer, which RFC 1995 allows.
 */
final class ZoneTransfer {
    /** Size of one transfer message; well under 65535 so a TSIG record always fits. */
    static final int transferMessageMaxBytes = 16_384;

    private final ZoneTable zones;
    private final Set<InetAddress> allowed;
    private final List<TsigKey> keys;

    ZoneTransfer(ZoneTable zones, Set<InetAddress> allowed, List<TsigKey> keys) {
        this.zones = zones;
        this.allowed = allowed;
        this.keys = keys;
    }

    /** Whether {@code wire} asks for AXFR or IXFR (a cheap look at the question's type). */
    boolean isTransferRequest(byte[] wire) {
        if (wire.length < 17 || ((wire[4] << 8) | (wire[5] & 0xFF)) != 1) {
            return false;
        }
        int at = 12;
        while (at < wire.length && wire[at] != 0) {
            if ((wire[at] & 0xC0) != 0) {
                return false;
            }
            at += (wire[at] & 0xFF) + 1;
        }
        if (at + 3 > wire.length) {
            return false;
        }
        int qtype = ((wire[at + 1] & 0xFF) << 8) | (wire[at + 2] & 0xFF);
        return qtype == Type.AXFR || qtype == Type.IXFR;
    }

    /** Answers a transfer request, giving each encoded message to {@code sink}. */
    void answer(DnsQuery query, Consumer<byte[]> sink) {
        Message request;
        try {
            request = new Message(query.wire());
        } catch (IOException | RuntimeException e) {
            sink.accept(org.paxosdns.dns.QueryProcessor.formErrFor(query.wire()));
            return;
        }
        Record question = request.getQuestion();
        Optional<ZoneSlot> slot = zones.get(question.getName());
        if (request.getHeader().getOpcode() != Opcode.QUERY || slot.isEmpty()
                || !(slot.get() instanceof ZoneSlot.Ready ready)) {
            sink.accept(error(request, Rcode.REFUSED, null).toWire());
            return;
        }
        TSIGRecord signature = TsigKeyring.signatureOf(request);
        if (signature == null) {
            if (allowed.contains(query.sender().getAddress())) {
                send(request, ready.content(), null, sink);
            } else {
                sink.accept(error(request, Rcode.REFUSED, null).toWire());
            }
            return;
        }
        Optional<TSIG> tsig = keys.stream().filter(k -> k.name().equals(signature.getName())).findFirst().map(TsigKey::tsig);
        if (tsig.isEmpty()) {
            sink.accept(error(request, Rcode.NOTAUTH, null).toWire());
            return;
        }
        int verified = tsig.get().verify(request, query.wire(), null);
        if (verified != Rcode.NOERROR) {
            Message refusal = error(request, Rcode.NOTAUTH, null);
            refusal.setTSIG(tsig.get(), verified, signature);
            sink.accept(refusal.toWire(Message.MAXLENGTH));
            return;
        }
        send(request, ready.content(), tsig.get(), sink);
    }

    private static Message error(Message request, int rcode, Record question) {
        Message response = new Message(request.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setOpcode(request.getHeader().getOpcode());
        response.getHeader().setRcode(rcode);
        if (request.getQuestion() != null) {
            response.addRecord(request.getQuestion(), Section.QUESTION);
        }
        return response;
    }

    private static void send(Message request, ZoneContent zone, TSIG tsig, Consumer<byte[]> sink) {
        TSIG.StreamGenerator signer = tsig == null ? null : new TSIG.StreamGenerator(tsig, request.getTSIG());
        List<Record> records = zone.records();
        records.add(zone.soa());
        Message message = newMessage(request);
        int size = 0;
        for (Record record : records) {
            int recordBytes = record.toWire(Section.ANSWER).length;
            if (size + recordBytes > transferMessageMaxBytes && size > 0) {
                sink.accept(finish(message, signer));
                message = newMessage(request);
                size = 0;
            }
            message.addRecord(record, Section.ANSWER);
            size += recordBytes;
        }
        sink.accept(finish(message, signer));
    }

    private static Message newMessage(Message request) {
        Message message = error(request, Rcode.NOERROR, null);
        message.getHeader().setFlag(Flags.AA);
        return message;
    }

    private static byte[] finish(Message message, TSIG.StreamGenerator signer) {
        if (signer != null) {
            signer.generate(message);
        }
        return message.toWire();
    }
}
