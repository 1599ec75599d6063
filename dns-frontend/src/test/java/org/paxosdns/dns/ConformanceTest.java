package org.paxosdns.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.paxosdns.dns.net.DnsServer;
import org.paxosdns.dns.net.DnsServerConfig;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Sends the 1,391 recorded queries to a real server over UDP or TCP, as recorded, and compares
 * each reply with the answers of Knot DNS and NSD: rcode, flags and EDNS version equal one
 * reference's, and each section equals one reference's, records compared as parsed records.
 */
class ConformanceTest {
    private static final Pattern field = Pattern.compile(
            "\"(\\w+)\": (null|true|false|\\d+|\"([^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+)\")");

    record Query(String name, String type, Integer edns, boolean dnssecOk, boolean tcp) { }

    record Reference(Query query, String knot, String nsd) { }

    @Test
    void answersAsKnotOrNsdOnEveryRecordedQuery() throws Exception {
        List<Reference> references = loadReferences();
        assertEquals(1391, references.size());
        ZoneTable zones = TestZones.conformanceZones();
        List<String> mismatches = new ArrayList<>();
        try (DnsServer server = DnsServer.start(DnsServerConfig.defaults(InetAddress.getLoopbackAddress(), 0),
                zones, () -> 42)) {
            for (Reference ref : references) {
                Query q = ref.query();
                Message query = DnsClient.query(q.name(), Type.value(q.type()), DClass.IN, q.edns(), q.dnssecOk());
                String got = render(DnsClient.ask(server.port(), query, q.tcp()));
                if (!matches(got, ref.knot(), ref.nsd())) {
                    mismatches.add(q + "\n  got : " + flat(got) + "\n  knot: " + flat(ref.knot()) + "\n  nsd : " + flat(ref.nsd()));
                }
            }
        }
        System.out.println("conformance: " + (references.size() - mismatches.size()) + "/" + references.size() + " matched");
        assertTrue(mismatches.isEmpty(), mismatches.size() + " mismatches:\n" + String.join("\n", mismatches));
    }

    private static String flat(String s) {
        return s.replace("\n", " // ");
    }

    static List<Reference> loadReferences() throws Exception {
        List<Reference> refs = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                ConformanceTest.class.getResourceAsStream("/conformance/answers.jsonl"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Map<String, String> f = new TreeMap<>();
                Matcher m = field.matcher(line);
                while (m.find()) {
                    f.put(m.group(1), m.group(3) != null ? unescape(m.group(3)) : m.group(2));
                }
                Integer edns = f.get("edns").equals("null") ? null : Integer.valueOf(f.get("edns"));
                Query q = new Query(f.get("name"), f.get("type"), edns, f.get("do").equals("true"), f.get("tcp").equals("true"));
                refs.add(new Reference(q, f.get("knot"), f.get("nsd")));
            }
        }
        return refs;
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The reference format: rcode, flags, edns, then the three sections as parsed records. */
    static String render(Message m) {
        List<String> flags = new ArrayList<>();
        int[] bits = {Flags.QR, Flags.AA, Flags.TC, Flags.RD, Flags.RA};
        String[] names = {"QR", "AA", "TC", "RD", "RA"};
        for (int i = 0; i < bits.length; i++) {
            if (m.getHeader().getFlag(bits[i])) {
                flags.add(names[i]);
            }
        }
        int edns = m.getOPT() == null ? -1 : m.getOPT().getVersion();
        return "rcode=" + Rcode.string(m.getRcode()) + "\nflags=" + String.join(",", flags) + "\nedns=" + edns
                + "\nan: " + section(m, Section.ANSWER) + "\nns: " + section(m, Section.AUTHORITY)
                + "\nad: " + section(m, Section.ADDITIONAL);
    }

    private static String section(Message m, int section) {
        List<String> out = new ArrayList<>();
        for (Record r : m.getSection(section)) {
            if (r.getType() != Type.OPT) {
                out.add(canonical(r));
            }
        }
        out.sort(null);
        return String.join(" | ", out);
    }

    private static String canonical(Record r) {
        return (r.getName() + " " + r.getTTL() + " " + Type.string(r.getType()) + " " + r.rdataToString()).toLowerCase(Locale.ROOT);
    }

    /** A reference section "a | b" re-parsed with dnsjava and rendered the same way as ours. */
    private static String reparse(String section) throws Exception {
        if (section.isEmpty()) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (String text : section.split(" \\| ")) {
            String[] p = text.split(" ", 4);
            Record r = Record.fromString(Name.fromString(p[0]), Type.value(p[2]), DClass.IN, Long.parseLong(p[1]),
                    p.length > 3 ? p[3] : "", Name.root);
            out.add(canonical(r));
        }
        out.sort(null);
        return String.join(" | ", out);
    }

    private static String[] parts(String response) throws Exception {
        String[] lines = response.split("\n", -1);
        String head = String.join("\n", Arrays.copyOfRange(lines, 0, 3));
        return new String[] {head, reparse(lines[3].substring(4)), reparse(lines[4].substring(4)), reparse(lines[5].substring(4))};
    }

    static boolean matches(String got, String knot, String nsd) throws Exception {
        String[] g = parts(got);
        String[] k = parts(knot);
        String[] n = parts(nsd);
        for (int i = 0; i < g.length; i++) {
            if (!g[i].equals(k[i]) && !g[i].equals(n[i])) {
                return false;
            }
        }
        return true;
    }
}
