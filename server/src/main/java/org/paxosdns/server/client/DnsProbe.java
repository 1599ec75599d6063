package org.paxosdns.server.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalLong;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** Asks one server's DNS port for a zone's SOA serial, as an operator's dig would. */
public final class DnsProbe {
    private DnsProbe() {}

    /** The SOA serial the server answers for {@code zone} over UDP, or empty when it answers otherwise or not at all. */
    public static OptionalLong soaSerial(InetSocketAddress server, String zone, Duration timeout) {
        try {
            SimpleResolver resolver = new SimpleResolver(server);
            resolver.setTimeout(timeout);
            return serialIn(resolver.send(Message.newQuery(Record.newRecord(Name.fromString(zone), Type.SOA, 1))));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** The serial of the first SOA in a NOERROR response's answer section, or empty. */
    public static OptionalLong serialIn(Message response) {
        if (response.getRcode() != Rcode.NOERROR) {
            return OptionalLong.empty();
        }
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof SOARecord soa) {
                return OptionalLong.of(soa.getSerial());
            }
        }
        return OptionalLong.empty();
    }

    /** The response code the server gives for an SOA query of {@code zone}, or -1 without an answer. */
    public static int rcode(InetSocketAddress server, String zone, Duration timeout) {
        try {
            SimpleResolver resolver = new SimpleResolver(server);
            resolver.setTimeout(timeout);
            return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(zone), Type.SOA, 1))).getRcode();
        } catch (IOException e) {
            return -1;
        }
    }
}
