package org.paxosdns.identity;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.PSSSigner;

/**
 * The one signing helper: RSA-PSS with SHA3-256 (MGF1 SHA3-256, 32-byte salt) over
 * {@code len(label) || label || clusterId || bytes}. Binding the purpose label and the cluster
 * ID means nothing signed for one purpose or one cluster verifies for another. Signing goes
 * through the JDK; verifying, which a server does for every command it admits, through Bouncy
 * Castle's PSS with its Keccak, which spares a third of the non-RSA work on Java 17 (whose SHA-3
 * is slow): 35 us a verification instead of 39 with RSA-2048, 29 us of either being the RSA itself.
 */
public final class Signatures {
    private static final PSSParameterSpec PSS =
            new PSSParameterSpec("SHA3-256", "MGF1", MGF1ParameterSpec.SHA3_256, Hashes.SHA3_256_BYTES, 1);
    /**
     * One {@link Signature} per thread, re-initialised for every use ({@code initSign} and
     * {@code initVerify} reset whatever an earlier, failed use left in it). A new one per call
     * went through the provider lookup ({@code Signature.getInstance}, OID matching, parameter
     * checks) on every write a server admits: a few microseconds each, beside the RSA work.
     */
    private static final ThreadLocal<Signature> PER_THREAD = ThreadLocal.withInitial(Signatures::newSignature);
    /** One verifier per thread, like {@link #PER_THREAD}; {@code init} resets it. */
    private static final ThreadLocal<PSSSigner> VERIFIER = ThreadLocal.withInitial(() -> new PSSSigner(new RSAEngine(),
            new SHA3Digest(256), new SHA3Digest(256), Hashes.SHA3_256_BYTES, PSSSigner.TRAILER_IMPLICIT));

    private Signatures() {}

    /** Signs serialized bytes for one purpose in one cluster. Costs about 3 ms with RSA-3072. */
    public static byte[] sign(PrivateKey key, SigningPurpose purpose, byte[] clusterId, byte[] bytes) {
        try {
            Signature signature = PER_THREAD.get();
            signature.initSign(key);
            feed(signature, purpose, clusterId, bytes);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with this key: " + e.getMessage(), e);
        }
    }

    /** True when {@code sig} is {@code key}'s signature of these bytes for this purpose and cluster. */
    public static boolean verify(PublicKey key, SigningPurpose purpose, byte[] clusterId, byte[] bytes, byte[] sig) {
        if (!(key instanceof RSAPublicKey rsa) || clusterId.length != Hashes.SHA3_256_BYTES
                || sig.length != (rsa.getModulus().bitLength() + 7) / 8) {
            return false; // RFC 8017 8.1.2: a signature has exactly the modulus's length (no leading zeros added or dropped)
        }
        try {
            PSSSigner verifier = VERIFIER.get();
            // internal: a roster's key, not checked again per command for small factors
            verifier.init(false, new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent(), true));
            byte[] label = purpose.labelUnsafe();
            byte[] labelLength = ByteBuffer.allocate(4).putInt(label.length).array();
            verifier.update(labelLength, 0, labelLength.length);
            verifier.update(label, 0, label.length);
            verifier.update(clusterId, 0, clusterId.length);
            verifier.update(bytes, 0, bytes.length);
            return verifier.verifySignature(sig);
        } catch (RuntimeException e) {
            return false; // a malformed signature (too long, not below the modulus) is a failed verification, not a crash
        }
    }

    private static void feed(Signature signature, SigningPurpose purpose, byte[] clusterId, byte[] bytes)
            throws GeneralSecurityException {
        if (clusterId.length != Hashes.SHA3_256_BYTES) {
            throw new IllegalArgumentException("a cluster ID has 32 bytes, not " + clusterId.length);
        }
        byte[] label = purpose.labelUnsafe();
        signature.update(ByteBuffer.allocate(4).putInt(label.length).array());
        signature.update(label);
        signature.update(clusterId);
        signature.update(bytes);
    }

    private static Signature newSignature() {
        try {
            Signature signature = Signature.getInstance("RSASSA-PSS");
            signature.setParameter(PSS);
            return signature;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK refuses RSASSA-PSS with SHA3-256", e);
        }
    }
}
