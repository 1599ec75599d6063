package org.paxosdns.dns;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The pure authoritative responder: {@link #answer(Message, ZoneTable)} turns a parsed query
 * into a response, with no sockets, threads or clocks. Behaviour follows Knot DNS: minimal
 * responses (no NS in authority on positive answers), addresses of in-zone NS/MX/SRV targets
 * as additional data, and CNAME chains followed only inside the zone that holds the first
 * name (like Knot; NSD also follows into other served zones). Truncation is left to the
 * encoder, which cuts at an RRset boundary.
 */
public final class Responder {
    /** CNAME/DNAME links followed for one query; a longer chain is cut, the resolver continues. */
    public static final int cnameChainMax = 8;

    private static final int optionNsid = EDNSOption.Code.NSID;
    private static final Name idServer = Name.fromConstantString("id.server.");
    private static final Name hostnameBind = Name.fromConstantString("hostname.bind.");
    private static final Name versionBind = Name.fromConstantString("version.bind.");
    private static final Name versionServer = Name.fromConstantString("version.server.");
    private static final Name stateNdxServer = Name.fromConstantString("statendx.server.");

    private final ResponderConfig config;
    private final LongSupplier stateNdx;

    /** A responder that answers CHAOS {@code statendx.server} from {@code stateNdx}. */
    public Responder(ResponderConfig config, LongSupplier stateNdx) {
        this.config = config;
        this.stateNdx = stateNdx;
    }

    /** The response to {@code query} from the zones in {@code zones}. */
    public Message answer(Message query, ZoneTable zones) {
        Message response = replyTo(query);
        Header h = response.getHeader();
        Record question = query.getQuestion();
        if (question != null) {
            response.addRecord(question, Section.QUESTION);
        }
        int rcode = answerInto(query, question, zones, response);
        h.setRcode(rcode & 0xF);
        OPTRecord opt = query.getOPT();
        if (opt != null) {
            response.addRecord(responseOpt(opt, rcode), Section.ADDITIONAL);
        }
        return response;
    }

    /** An empty response to {@code query}: its ID and opcode, QR set, RD and CD echoed. */
    private static Message replyTo(Message query) {
        Header qh = query.getHeader();
        Message response = new Message(qh.getID());
        Header h = response.getHeader();
        h.setFlag(Flags.QR);
        h.setOpcode(qh.getOpcode());
        copyFlag(qh, h, Flags.RD);
        copyFlag(qh, h, Flags.CD);
        return response;
    }

    /**
     * The header-only answer NSD gives to a query it refuses before reading its question (a
     * failed TSIG check): ID, opcode, RD and CD echoed, {@code rcode}, no question, the OPT
     * echoed when the query had one.
     */
    public Message headerOnly(Message query, int rcode) {
        Message response = replyTo(query);
        Header h = response.getHeader();
        h.setRcode(rcode & 0xF);
        OPTRecord opt = query.getOPT();
        if (opt != null) {
            response.addRecord(new OPTRecord(config.udpPayloadMaxBytes(), rcode >>> 4, 0, opt.getFlags() & Flags.DO),
                    Section.ADDITIONAL);
        }
        return response;
    }

    /**
     * The largest response the client can take: {@value ResponderConfig#messageMaxBytes} over
     * TCP; over UDP 512 without EDNS, else its advertised size capped by the configuration.
     */
    public int responseLimitBytes(Message query, boolean tcp) {
        if (tcp) {
            return ResponderConfig.messageMaxBytes;
        }
        OPTRecord opt = query.getOPT();
        if (opt == null) {
            return ResponderConfig.udpPayloadPlainBytes;
        }
        return responseLimitBytes(opt.getPayloadSize());
    }

    /** The UDP limit for an EDNS query advertising {@code payloadBytes}. */
    public int responseLimitBytes(int payloadBytes) {
        return Math.max(ResponderConfig.udpPayloadPlainBytes, Math.min(payloadBytes, config.udpPayloadMaxBytes()));
    }

    private static void copyFlag(Header from, Header to, int flag) {
        if (from.getFlag(flag)) {
            to.setFlag(flag);
        }
    }

    private int answerInto(Message query, Record question, ZoneTable zones, Message response) {
        Header qh = query.getHeader();
        if (qh.getOpcode() == Opcode.NOTIFY) {
            return Rcode.NOTAUTH; // this server is the zones' primary: it takes no NOTIFY (Knot answers so)
        }
        if (qh.getOpcode() != Opcode.QUERY) {
            return Rcode.NOTIMP;
        }
        if (question == null || qh.getCount(Section.QUESTION) != 1 || qh.getCount(Section.ANSWER) != 0
                || optCount(query) > 1 || !validOpt(query.getOPT()) || isMetaType(question.getType())) {
            return Rcode.FORMERR;
        }
        if (query.getOPT() != null && query.getOPT().getVersion() > 0) {
            return Rcode.BADVERS;
        }
        if (question.getDClass() == DClass.CH) {
            return chaos(question, response);
        }
        if (question.getDClass() != DClass.IN) {
            return Rcode.REFUSED;
        }
        return authoritative(question.getName(), question.getType(), zones, response);
    }

    private static int optCount(Message query) {
        int count = 0;
        for (Record r : query.getSection(Section.ADDITIONAL)) {
            if (r.getType() == Type.OPT) {
                count++;
            }
        }
        return count;
    }

    private static boolean validOpt(OPTRecord opt) {
        return opt == null || opt.getName().equals(Name.root);
    }

    /** Types that only make sense in other sections or need a zone transfer over TCP. */
    private static boolean isMetaType(int type) {
        return type == Type.OPT || type == Type.TSIG || type == Type.TKEY
                || type == Type.AXFR || type == Type.IXFR;
    }

    private OPTRecord responseOpt(OPTRecord queryOpt, int rcode) {
        int flags = queryOpt.getFlags() & Flags.DO;
        boolean nsidAsked = !queryOpt.getOptions(optionNsid).isEmpty();
        if (nsidAsked && !config.nsid().isEmpty() && rcode != Rcode.BADVERS) {
            EDNSOption nsid = new GenericEDNSOption(optionNsid, config.nsid().getBytes(StandardCharsets.UTF_8));
            return new OPTRecord(config.udpPayloadMaxBytes(), rcode >>> 4, 0, flags, List.of(nsid));
        }
        return new OPTRecord(config.udpPayloadMaxBytes(), rcode >>> 4, 0, flags);
    }

    private int chaos(Record question, Message response) {
        int type = question.getType();
        if (type != Type.TXT && type != Type.ANY) {
            return Rcode.REFUSED;
        }
        Optional<String> text = chaosText(question.getName());
        if (text.isEmpty()) {
            return Rcode.REFUSED;
        }
        response.getHeader().setFlag(Flags.AA);
        response.addRecord(new TXTRecord(question.getName(), DClass.CH, 0, text.get()), Section.ANSWER);
        return Rcode.NOERROR;
    }

    private Optional<String> chaosText(Name name) {
        if (name.equals(idServer) || name.equals(hostnameBind)) {
            return Optional.of(config.identity());
        }
        if (name.equals(versionBind) || name.equals(versionServer)) {
            return config.hideVersion() ? Optional.empty() : Optional.of(config.version());
        }
        if (name.equals(stateNdxServer)) {
            return Optional.of(Long.toUnsignedString(stateNdx.getAsLong()));
        }
        return Optional.empty();
    }

    private static int authoritative(Name qname, int qtype, ZoneTable zones, Message response) {
        Optional<ZoneSlot> slot = zoneFor(qname, qtype, zones);
        if (slot.isEmpty()) {
            return Rcode.REFUSED;
        }
        if (!(slot.get() instanceof ZoneSlot.Ready ready)) {
            return Rcode.SERVFAIL;
        }
        response.getHeader().setFlag(Flags.AA);
        return new Resolution(ready.content(), qtype, response).run(qname);
    }

    /** The zone that answers: the closest enclosing one, except that DS at an apex belongs to the parent. */
    static Optional<ZoneSlot> zoneFor(Name qname, int qtype, ZoneTable zones) {
        Optional<ZoneSlot> slot = zones.find(qname);
        if (qtype == Type.DS && slot.isPresent() && slot.get().origin().equals(qname) && qname.labels() > 1) {
            Optional<ZoneSlot> parent = zones.find(ZoneContent.parent(qname));
            if (parent.isPresent() && parent.get() instanceof ZoneSlot.Ready) {
                return parent;
            }
        }
        return slot;
    }

    /** One walk along a CNAME/DNAME chain inside one zone, filling the response's sections. */
    private static final class Resolution {
        private final ZoneContent zone;
        private final int qtype;
        private final Message response;
        private final Set<Name> visited = new HashSet<>();
        private final Set<Name> additionalDone = new HashSet<>();

        Resolution(ZoneContent zone, int qtype, Message response) {
            this.zone = zone;
            this.qtype = qtype;
            this.response = response;
        }

        int run(Name qname) {
            Name name = qname;
            visited.add(name);
            for (int links = 0; ; links++) {
                LookupResult result = zone.lookup(name, qtype);
                Name next = step(name, result, links);
                if (next == null) {
                    return nextRcode(result);
                }
                if (next.equals(Name.empty)) {
                    return Rcode.YXDOMAIN;
                }
                if (links + 1 >= cnameChainMax || !next.subdomain(zone.origin()) || !visited.add(next)) {
                    return Rcode.NOERROR;
                }
                name = next;
            }
        }

        private static int nextRcode(LookupResult result) {
            return result instanceof LookupResult.NxDomain ? Rcode.NXDOMAIN : Rcode.NOERROR;
        }

        /** Adds what {@code result} contributes; returns the next name of the chain, or null at its end. */
        private Name step(Name name, LookupResult result, int links) {
            if (result instanceof LookupResult.Answer answer) {
                addRRset(answer.rrset(), Section.ANSWER);
                addAdditional(answer.rrset());
                return null;
            } else if (result instanceof LookupResult.Cname cname) {
                addRRset(cname.cname(), Section.ANSWER);
                return qtype == Type.ANY ? null : ((CNAMERecord) cname.cname().first()).getTarget();
            } else if (result instanceof LookupResult.Dname dname) {
                Name target = synthesize(name, dname.dname());
                return qtype == Type.CNAME && !target.equals(Name.empty) ? null : target;
            } else if (result instanceof LookupResult.Delegation delegation) {
                if (links == 0) {
                    refer(delegation.ns());
                }
                return null;
            } else {
                addRRset(new RRset(zone.negativeSoa()), Section.AUTHORITY);
                return null;
            }
        }

        /** DNAME (RFC 6672): the DNAME, then a CNAME from the name to its rewritten form. */
        private Name synthesize(Name name, RRset dnameSet) {
            addRRset(dnameSet, Section.ANSWER);
            DNAMERecord dname = (DNAMERecord) dnameSet.first();
            try {
                Name target = name.fromDNAME(dname);
                response.addRecord(new CNAMERecord(name, DClass.IN, dname.getTTL(), target), Section.ANSWER);
                return target;
            } catch (NameTooLongException e) {
                return Name.empty;
            }
        }

        private void refer(RRset ns) {
            response.getHeader().unsetFlag(Flags.AA);
            addRRset(ns, Section.AUTHORITY);
            addAdditional(ns);
        }

        private void addRRset(RRset set, int section) {
            for (Record r : set.rrs(false)) {
                response.addRecord(r, section);
            }
        }

        /** Addresses of in-zone targets of NS, MX and SRV records (glue included). */
        private void addAdditional(RRset set) {
            int type = set.getType();
            if (type != Type.NS && type != Type.MX && type != Type.SRV) {
                return;
            }
            for (Record r : set.rrs(false)) {
                Name target = r.getAdditionalName();
                if (target != null && target.subdomain(zone.origin()) && additionalDone.add(target)) {
                    zone.addresses(target).forEach(a -> addRRset(a, Section.ADDITIONAL));
                }
            }
        }
    }
}
