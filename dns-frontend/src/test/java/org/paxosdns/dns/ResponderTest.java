package org.paxosdns.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Protocol behaviour of the pure responder: error answers, EDNS, CHAOS, limits. */
class ResponderTest {
    private final ZoneTable zones = TestZones.conformanceZones();
    private final Responder responder = new Responder(
            new ResponderConfig("node-a", "paxosdns 0.1", false, "nsid-a", ResponderConfig.udpPayloadDefaultBytes),
            () -> 0xFFFF_FFFF_FFFF_FFFFL);

    private Message ask(Message query) {
        return responder.answer(query, zones);
    }

    @Test
    void unknownOpcodeIsNotImplemented() {
        Message q = DnsClient.query("www.conf.example.", Type.A, null);
        q.getHeader().setOpcode(Opcode.UPDATE);
        assertEquals(Rcode.NOTIMP, ask(q).getRcode());
    }

    @Test
    void notifyIsNotAuthWithTheQuestionEchoedAsKnotAnswers() {
        Message q = DnsClient.query("conf.example.", Type.SOA, 1232);
        q.getHeader().setOpcode(Opcode.NOTIFY);
        q.getHeader().setFlag(Flags.AA);
        Message r = ask(q);
        assertEquals(Rcode.NOTAUTH, r.getRcode());
        assertEquals(Opcode.NOTIFY, r.getHeader().getOpcode());
        assertFalse(r.getHeader().getFlag(Flags.AA));
        assertEquals(q.getQuestion(), r.getQuestion());
        assertNotNull(r.getOPT());
        assertTrue(r.getSection(Section.ANSWER).isEmpty());
    }

    @Test
    void twoOptRecordsAreFormErr() {
        Message q = DnsClient.query("www.conf.example.", Type.A, 1232);
        q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        assertEquals(Rcode.FORMERR, ask(q).getRcode());
    }

    @Test
    void ednsVersionAboveZeroIsBadVersWithVersionZeroOpt() {
        Message q = DnsClient.query("www.conf.example.", Type.A, null);
        q.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);
        Message r = ask(q);
        assertEquals(Rcode.BADVERS, r.getRcode());
        assertEquals(0, r.getOPT().getVersion());
        assertTrue(r.getSection(Section.ANSWER).isEmpty());
    }

    @Test
    void answerInAQueryIsFormErr() {
        Message q = DnsClient.query("www.conf.example.", Type.A, null);
        q.addRecord(Record.newRecord(Name.fromConstantString("x.conf.example."), Type.A, DClass.IN), Section.ANSWER);
        assertEquals(Rcode.FORMERR, ask(q).getRcode());
    }

    @Test
    void namesOutsideServedZonesAreRefusedWithoutAa() {
        Message r = ask(DnsClient.query("example.org.", Type.A, 1232));
        assertEquals(Rcode.REFUSED, r.getRcode());
        assertFalse(r.getHeader().getFlag(Flags.AA));
        assertNotNull(r.getOPT());
    }

    @Test
    void pendingZoneIsServfailAndRemovedZoneRefused() {
        zones.markPending(Name.fromConstantString("pending.test."));
        assertEquals(Rcode.SERVFAIL, ask(DnsClient.query("www.pending.test.", Type.A, null)).getRcode());
        zones.remove(Name.fromConstantString("conf.example."));
        assertEquals(Rcode.REFUSED, ask(DnsClient.query("www.conf.example.", Type.A, null)).getRcode());
    }

    @Test
    void questionCaseIsPreserved() {
        Message r = ask(DnsClient.query("WwW.CoNf.ExAmPlE.", Type.A, null));
        assertEquals("WwW.CoNf.ExAmPlE.", r.getQuestion().getName().toString());
    }

    @Test
    void chaosAnswersIdentityVersionAndStateNdx() {
        assertEquals("node-a", chaos("id.server."));
        assertEquals("node-a", chaos("hostname.bind."));
        assertEquals("paxosdns 0.1", chaos("version.bind."));
        assertEquals("18446744073709551615", chaos("statendx.server."));
        Message unknown = ask(DnsClient.query("other.server.", Type.TXT, DClass.CH, null, false));
        assertEquals(Rcode.REFUSED, unknown.getRcode());
    }

    @Test
    void hiddenVersionIsRefused() {
        Responder hidden = new Responder(new ResponderConfig("n", "v", true, "", 1232), () -> 1);
        Message r = hidden.answer(DnsClient.query("version.server.", Type.TXT, DClass.CH, null, false), zones);
        assertEquals(Rcode.REFUSED, r.getRcode());
    }

    private String chaos(String name) {
        Message r = ask(DnsClient.query(name, Type.TXT, DClass.CH, null, false));
        assertEquals(Rcode.NOERROR, r.getRcode());
        return ((TXTRecord) r.getSection(Section.ANSWER).get(0)).getStrings().get(0);
    }

    @Test
    void nsidIsGivenOnlyWhenAsked() {
        Message q = DnsClient.query("www.conf.example.", Type.A, 1232);
        q.removeAllRecords(Section.ADDITIONAL);
        q.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new GenericEDNSOption(EDNSOption.Code.NSID, new byte[0]))),
                Section.ADDITIONAL);
        List<EDNSOption> options = ask(q).getOPT().getOptions(EDNSOption.Code.NSID);
        assertEquals(1, options.size());
        byte[] wire = options.get(0).toWire();
        assertEquals("nsid-a", new String(wire, 4, wire.length - 4, StandardCharsets.UTF_8));
        assertTrue(ask(DnsClient.query("www.conf.example.", Type.A, 1232)).getOPT().getOptions().isEmpty());
    }

    @Test
    void ednsPayloadIsCappedAndPlainQueriesGet512() {
        Message big = DnsClient.query("many.conf.example.", Type.A, 65000);
        assertEquals(1232, responder.responseLimitBytes(big, false));
        assertEquals(512, responder.responseLimitBytes(DnsClient.query("x.", Type.A, null), false));
        assertEquals(512, responder.responseLimitBytes(DnsClient.query("x.", Type.A, 100), false));
        assertEquals(65535, responder.responseLimitBytes(big, true));
    }

    @Test
    void truncationCutsAtAnRRsetBoundaryAndSetsTc() throws Exception {
        Message q = DnsClient.query("many.conf.example.", Type.A, null);
        Message r = new Message(ask(q).toWire(responder.responseLimitBytes(q, false)));
        assertTrue(r.getHeader().getFlag(Flags.TC));
        assertTrue(r.getSection(Section.ANSWER).isEmpty());
    }

    @Test
    void cnameChainStopsAtItsLimit() {
        StringBuilder zone = new StringBuilder("$ORIGIN chain.test.\n@ 60 IN SOA ns h 1 2 3 4 5\n@ 60 IN NS ns\n");
        for (int i = 0; i < 20; i++) {
            zone.append("c").append(i).append(" 60 IN CNAME c").append(i + 1).append('\n');
        }
        zone.append("c20 60 IN A 192.0.2.1\n");
        zones.put(TestZones.parse("chain.test.", zone.toString().getBytes(StandardCharsets.US_ASCII)));
        Message r = ask(DnsClient.query("c0.chain.test.", Type.A, null));
        assertEquals(Rcode.NOERROR, r.getRcode());
        assertEquals(Responder.cnameChainMax, r.getSection(Section.ANSWER).size());
        Message shortChain = ask(DnsClient.query("c15.chain.test.", Type.A, null));
        assertEquals(6, shortChain.getSection(Section.ANSWER).size());
    }

    @Test
    void dsAtAServedChildApexIsAnsweredByTheParent() {
        byte[] child = "$ORIGIN deleg.conf.example.\n@ 60 IN SOA ns h 1 2 3 4 5\n@ 60 IN NS ns\nns 60 IN A 192.0.2.9\n"
                .getBytes(StandardCharsets.US_ASCII);
        zones.put(TestZones.parse("deleg.conf.example.", child));
        Message ds = ask(DnsClient.query("deleg.conf.example.", Type.DS, null));
        assertEquals(Type.DS, ds.getSection(Section.ANSWER).get(0).getType());
        Message a = ask(DnsClient.query("ns.deleg.conf.example.", Type.A, null));
        assertTrue(a.getHeader().getFlag(Flags.AA));
        assertNull(a.getSection(Section.AUTHORITY).stream().filter(x -> x.getType() == Type.NS).findAny().orElse(null));
    }
}
