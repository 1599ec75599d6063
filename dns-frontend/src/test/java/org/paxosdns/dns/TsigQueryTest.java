package org.paxosdns.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/** TSIG on ordinary queries (RFC 8945), answered as NSD 4.6 answers them (checked with dig -y). */
class TsigQueryTest {
    private static final Name keyName = Name.fromConstantString("k1.");
    private static final byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final ZoneTable zones = TestZones.conformanceZones();
    private final QueryProcessor processor = new QueryProcessor(new Responder(ResponderConfig.defaults(), () -> 0),
            zones, 1000, new TsigKeyring(List.of(new TsigKeyring.Key(keyName, TSIG.HMAC_SHA256, secret)), Clock.systemUTC()));

    private static TSIG key(Name name, byte[] bytes, Clock clock) {
        return new TSIG(TSIG.HMAC_SHA256, name, new SecretKeySpec(bytes, "HmacSHA256"), clock);
    }

    /** A signed query with RD set and an OPT, like dig -y sends. */
    private static Message signedQuery(TSIG signer) {
        Message q = DnsClient.query("www.conf.example.", Type.A, 1232);
        q.getHeader().setFlag(Flags.RD);
        q.setTSIG(signer);
        return q;
    }

    /** The signed query's bytes (dnsjava signs only in {@code toWire(int)}). */
    private static byte[] wire(Message query) {
        return query.toWire(Message.MAXLENGTH);
    }

    private Message ask(Message query) throws Exception {
        return new Message(processor.process(wire(query), false));
    }

    @Test
    void aValidSignatureGetsASignedAnswerThatVerifies() throws Exception {
        TSIG client = key(keyName, secret, Clock.systemUTC());
        Message q = signedQuery(client);
        byte[] wire = wire(q);
        byte[] responseWire = processor.process(wire, false);
        Message r = new Message(responseWire);
        assertEquals(Rcode.NOERROR, r.getRcode());
        assertTrue(r.getHeader().getFlag(Flags.AA));
        assertFalse(r.getSection(Section.ANSWER).isEmpty());
        assertEquals(Rcode.NOERROR, client.verify(r, responseWire, new Message(wire).getTSIG()));
    }

    @Test
    void anUnknownKeyIsNotAuthWithBadKeyAndAnEmptyMac() throws Exception {
        Message r = ask(signedQuery(key(Name.fromConstantString("k2."), secret, Clock.systemUTC())));
        assertRefused(r, Rcode.BADKEY);
        assertEquals(Name.fromConstantString("k2."), r.getTSIG().getName());
    }

    @Test
    void aWrongSecretIsNotAuthWithBadSig() throws Exception {
        byte[] wrong = secret.clone();
        wrong[0] ^= 1;
        assertRefused(ask(signedQuery(key(keyName, wrong, Clock.systemUTC()))), Rcode.BADSIG);
    }

    @Test
    void aClockOutsideTheFudgeIsBadTimeSignedWithTheServersTime() throws Exception {
        Clock skewed = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
        TSIG client = key(keyName, secret, skewed);
        byte[] wire = wire(signedQuery(client));
        byte[] responseWire = processor.process(wire, false);
        Message r = new Message(responseWire);
        assertEquals(Rcode.NOTAUTH, r.getRcode());
        TSIGRecord tsig = r.getTSIG();
        assertEquals(Rcode.BADTIME, tsig.getError());
        assertEquals(6, tsig.getOther().length, "other data holds the server's time");
        assertEquals(Rcode.NOERROR, client.verify(r, responseWire, new Message(wire).getTSIG()), "BADTIME is signed");
    }

    @Test
    void aSignedQueryIsNeverAnsweredFromTheCacheOfUnsignedOnes() throws Exception {
        processor.process(DnsClient.query("www.conf.example.", Type.A, 1232).toWire(), false);
        assertRefused(ask(signedQuery(key(Name.fromConstantString("k2."), secret, Clock.systemUTC()))), Rcode.BADKEY);
    }

    private static void assertRefused(Message r, int tsigError) {
        assertEquals(Rcode.NOTAUTH, r.getRcode());
        assertTrue(r.getSection(Section.QUESTION).isEmpty(), "NSD leaves the question out");
        assertTrue(r.getHeader().getFlag(Flags.RD));
        assertNotNull(r.getOPT());
        assertEquals(tsigError, r.getTSIG().getError());
        assertEquals(0, r.getTSIG().getSignature().length);
    }
}
