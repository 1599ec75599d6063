package org.paxosdns.identity;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * The one signing helper: RSA-PSS with SHA3-256 (MGF1 SHA3-256, 32-byte salt) over
 * {@code len(label) || label || clusterId || bytes}. Binding the purpose label and the cluster
 * ID means nothing signed for one purpose or one cluster verifies for another.
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
        try {
            Signature signature = PER_THREAD.get();
            signature.initVerify(key);
            feed(signature, purpose, clusterId, bytes);
            return signature.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // a malformed signature is a failed verification, not a crash
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
