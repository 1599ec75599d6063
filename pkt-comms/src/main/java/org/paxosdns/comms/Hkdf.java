package org.paxosdns.comms;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF (RFC 5869) over an HMAC the JDK provides; paxosdns uses it with HMAC-SHA3-256 to turn
 * the two handshake key shares into session keys and to ratchet those keys forward.
 */
final class Hkdf {
    /** The HMAC every paxosdns key derivation uses. */
    static final String HMAC_SHA3_256 = "HmacSHA3-256";
    /** Most output bytes one expansion may produce (RFC 5869: 255 blocks). */
    private static final int BLOCKS_MAX = 255;

    private final String algorithm;

    Hkdf(String algorithm) {
        this.algorithm = algorithm;
    }

    static Hkdf sha3() {
        return new Hkdf(HMAC_SHA3_256);
    }

    /** HKDF-Extract: a pseudorandom key from input keying material and a salt. */
    byte[] extract(byte[] salt, byte[] ikm) {
        Mac mac = mac(salt.length == 0 ? new byte[macLength()] : salt);
        return mac.doFinal(ikm);
    }

    /** HKDF-Expand: {@code length} bytes bound to {@code info}. */
    byte[] expand(byte[] prk, byte[] info, int length) {
        Mac mac = mac(prk);
        int hashLength = mac.getMacLength();
        if (length <= 0 || length > BLOCKS_MAX * hashLength) {
            throw new IllegalArgumentException("HKDF output length out of range: " + length);
        }
        byte[] out = new byte[length];
        byte[] block = new byte[0];
        for (int i = 1, done = 0; done < length; i++) {
            mac.update(block);
            mac.update(info);
            mac.update((byte) i);
            block = mac.doFinal();
            int n = Math.min(hashLength, length - done);
            System.arraycopy(block, 0, out, done, n);
            done += n;
        }
        return out;
    }

    private int macLength() {
        return mac(new byte[1]).getMacLength();
    }

    private Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }
}
