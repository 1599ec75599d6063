package org.paxosdns.dns;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * The TSIG keys (RFC 8945) that ordinary queries may be signed with: checks a signed query
 * and signs its response. A verified query's response is signed with the same key; a failed
 * check gives an error record: BADKEY (unknown key or algorithm) and BADSIG (wrong MAC) with
 * an empty MAC, BADTIME (clock outside the fudge) signed and carrying the server's time as
 * other data (section 5.2.3). dnsjava leaves the other data out of the MAC it computes for
 * BADTIME, which a verifier such as dig then rejects, so that record is made here.
 */
public final class TsigKeyring {
    /** No keys: every signed query gets BADKEY. */
    public static final TsigKeyring empty = new TsigKeyring(List.of(), Clock.systemUTC());
    /** A syntactically valid secret for the never-signing stand-in key of a BADKEY answer. */
    private static final String unusedSecret = "AAAAAAAAAAAAAAAAAAAAAA==";

    /**
     * One shared secret.
     *
     * @param name the key name
     * @param algorithm the HMAC algorithm name, e.g. {@code hmac-sha256.}
     * @param secret the secret's bytes
     */
    public record Key(Name name, Name algorithm, byte[] secret) {
        /** Checks dnsjava knows the algorithm. */
        public Key {
            TSIG.nameToAlgorithm(algorithm);
            secret = secret.clone();
        }

        private String javaAlgorithm() {
            return TSIG.nameToAlgorithm(algorithm);
        }
    }

    private record Loaded(Key key, TSIG tsig) { }

    private final Map<Name, Loaded> keys = new HashMap<>();
    private final Clock clock;

    /** A keyring of {@code keys}, reading the time from {@code clock}. */
    public TsigKeyring(List<Key> keys, Clock clock) {
        this.clock = clock;
        for (Key k : keys) {
            this.keys.put(k.name(), new Loaded(k, new TSIG(k.algorithm(), k.name(),
                    new SecretKeySpec(k.secret(), k.javaAlgorithm()), clock)));
        }
    }

    /**
     * The result of checking a signed query.
     *
     * @param error NOERROR, BADKEY, BADSIG or BADTIME
     * @param key the matching key (null for BADKEY)
     */
    record Check(int error, Loaded key) {
        boolean verified() {
            return error == Rcode.NOERROR;
        }
    }

    /**
     * The TSIG record ending {@code query}'s additional section, or null. Unlike dnsjava's
     * {@link Message#getTSIG()} it does not throw for a message whose parse stopped early
     * (counts in the header, no records behind them).
     */
    public static TSIGRecord signatureOf(Message query) {
        List<org.xbill.DNS.Record> additional = query.getSection(Section.ADDITIONAL);
        if (additional.isEmpty() || additional.size() != query.getHeader().getCount(Section.ADDITIONAL)) {
            return null;
        }
        return additional.get(additional.size() - 1) instanceof TSIGRecord tsig ? tsig : null;
    }

    /** Checks {@code signature}, the TSIG record of {@code query}, parsed from {@code wire}. */
    Check check(Message query, byte[] wire, TSIGRecord signature) {
        Loaded key = keys.get(signature.getName());
        int error = key == null ? Rcode.BADKEY : key.tsig().verify(query, wire, null);
        return new Check(error, error == Rcode.BADKEY ? null : key);
    }

    /** {@code response} with the TSIG record {@code check} calls for, encoded within {@code limitBytes}. */
    byte[] sign(Message response, Check check, TSIGRecord request, int limitBytes) {
        if (check.error() == Rcode.BADTIME) {
            response.addRecord(badTime(response, check.key(), request), Section.ADDITIONAL);
            return response.toWire();
        }
        TSIG signer = check.key() != null ? check.key().tsig() : standIn(request);
        if (signer != null) {
            response.setTSIG(signer, check.error(), request);
        }
        return response.toWire(limitBytes);
    }

    /** A key with the query's name and algorithm for an unsigned error record, or null for an unknown algorithm. */
    private static TSIG standIn(TSIGRecord request) {
        try {
            return new TSIG(request.getAlgorithm(), request.getName(), unusedSecret);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The BADTIME record: the request's time signed, the server's time as other data, all under the MAC. */
    private TSIGRecord badTime(Message response, Loaded key, TSIGRecord request) {
        byte[] other = timeBytes(clock.instant());
        DNSOutput vars = new DNSOutput();
        key.key().name().toWireCanonical(vars);
        vars.writeU16(DClass.ANY);
        vars.writeU32(0);
        key.key().algorithm().toWireCanonical(vars);
        vars.writeByteArray(timeBytes(request.getTimeSigned()));
        vars.writeU16((int) request.getFudge().getSeconds());
        vars.writeU16(Rcode.BADTIME);
        vars.writeU16(other.length);
        vars.writeByteArray(other);
        byte[] mac;
        try {
            Mac hmac = Mac.getInstance(key.key().javaAlgorithm());
            hmac.init(new SecretKeySpec(key.key().secret(), key.key().javaAlgorithm()));
            int macBytes = request.getSignature().length;
            hmac.update(new byte[] {(byte) (macBytes >>> 8), (byte) macBytes});
            hmac.update(request.getSignature());
            hmac.update(response.toWire());
            mac = hmac.doFinal(vars.toByteArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC " + key.key().javaAlgorithm() + " was usable when the key was loaded", e);
        }
        return new TSIGRecord(key.key().name(), DClass.ANY, 0, key.key().algorithm(), request.getTimeSigned(),
                request.getFudge(), mac, response.getHeader().getID(), Rcode.BADTIME, other);
    }

    /** 48-bit seconds since the epoch, as TSIG encodes time. */
    private static byte[] timeBytes(Instant time) {
        long seconds = time.getEpochSecond();
        DNSOutput out = new DNSOutput(6);
        out.writeU16((int) (seconds >>> 32));
        out.writeU32(seconds & 0xFFFF_FFFFL);
        return out.toByteArray();
    }
}
