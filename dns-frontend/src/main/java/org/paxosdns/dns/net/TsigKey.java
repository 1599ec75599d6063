package org.paxosdns.dns.net;

import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

/**
 * A TSIG key (RFC 8945) that authenticates zone transfer requests and signed queries.
 *
 * @param name the key name
 * @param algorithm the HMAC algorithm name, e.g. {@code hmac-sha256.}
 * @param secretBase64 the shared secret, base64 as in BIND and Knot configuration files
 */
public record TsigKey(Name name, Name algorithm, String secretBase64) {
    /** The dnsjava signer and verifier for this key. */
    public TSIG tsig() {
        return new TSIG(algorithm, name, secretBase64);
    }
}
