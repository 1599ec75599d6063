package org.paxosdns.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;

final class SignaturesTest {
    private static final byte[] CLUSTER_A = Hashes.sha3("a".getBytes(StandardCharsets.UTF_8));
    private static final byte[] CLUSTER_B = Hashes.sha3("b".getBytes(StandardCharsets.UTF_8));
    private static final byte[] BYTES = "publish example.test.".getBytes(StandardCharsets.UTF_8);

    private final KeyPair key = TestKeys.commander(0);

    @Test
    void signatureVerifiesForItsPurposeAndCluster() {
        byte[] sig = Signatures.sign(key.getPrivate(), SigningPurpose.COMMAND, CLUSTER_A, BYTES);
        assertTrue(Signatures.verify(key.getPublic(), SigningPurpose.COMMAND, CLUSTER_A, BYTES, sig));
    }

    @Test
    void signatureFailsForAnotherPurposeClusterKeyOrBytes() {
        byte[] sig = Signatures.sign(key.getPrivate(), SigningPurpose.COMMAND, CLUSTER_A, BYTES);
        assertFalse(Signatures.verify(key.getPublic(), SigningPurpose.UPLOAD, CLUSTER_A, BYTES, sig));
        assertFalse(Signatures.verify(key.getPublic(), SigningPurpose.COMMAND, CLUSTER_B, BYTES, sig));
        assertFalse(Signatures.verify(TestKeys.commander(1).getPublic(), SigningPurpose.COMMAND, CLUSTER_A, BYTES, sig));
        byte[] tampered = BYTES.clone();
        tampered[0] ^= 1;
        assertFalse(Signatures.verify(key.getPublic(), SigningPurpose.COMMAND, CLUSTER_A, tampered, sig));
    }

    @Test
    void garbageSignaturesAreRejectedNotThrown() {
        assertFalse(Signatures.verify(key.getPublic(), SigningPurpose.COMMAND, CLUSTER_A, BYTES, new byte[0]));
        assertFalse(Signatures.verify(key.getPublic(), SigningPurpose.COMMAND, CLUSTER_A, BYTES, new byte[384]));
        assertFalse(Signatures.verify(key.getPublic(), SigningPurpose.COMMAND, CLUSTER_A, BYTES, new byte[7000]));
    }

    /** RFC 8017: a signature has the modulus's length; one whose value starts with a zero byte does not verify without it. */
    @Test
    void aSignatureVerifiesOnlyAtTheModulusLength() {
        byte[] bytes = BYTES.clone();
        byte[] sig = null;
        for (int i = 0; i < 8192 && (sig == null || sig[0] != 0); i++) { // one signature in 256 starts with 0
            bytes[0] = (byte) i;
            bytes[1] = (byte) (i >> 8);
            sig = Signatures.sign(key.getPrivate(), SigningPurpose.COMMAND, CLUSTER_A, bytes);
        }
        assertEquals(0, sig[0], "found a signature whose first byte is zero");
        assertTrue(Signatures.verify(key.getPublic(), SigningPurpose.COMMAND, CLUSTER_A, bytes, sig));
        byte[] stripped = java.util.Arrays.copyOfRange(sig, 1, sig.length);
        assertFalse(Signatures.verify(key.getPublic(), SigningPurpose.COMMAND, CLUSTER_A, bytes, stripped), "leading zero dropped");
        byte[] padded = new byte[sig.length + 1];
        System.arraycopy(sig, 0, padded, 1, sig.length);
        assertFalse(Signatures.verify(key.getPublic(), SigningPurpose.COMMAND, CLUSTER_A, bytes, padded), "a leading zero added");
    }

    /** Verification is done by another library than signing: the parameters must be the same, salt length included. */
    @Test
    void pssWithOtherParametersDoesNotVerify() throws Exception {
        byte[] label = SigningPurpose.COMMAND.labelUnsafe();
        java.io.ByteArrayOutputStream signed = new java.io.ByteArrayOutputStream();
        signed.write(java.nio.ByteBuffer.allocate(4).putInt(label.length).array());
        signed.write(label);
        signed.write(CLUSTER_A);
        signed.write(BYTES);
        for (var params : java.util.List.of(
                new java.security.spec.PSSParameterSpec("SHA3-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA3_256, 32, 1),
                new java.security.spec.PSSParameterSpec("SHA3-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA3_256, 20, 1),
                new java.security.spec.PSSParameterSpec("SHA3-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256, 32, 1),
                new java.security.spec.PSSParameterSpec("SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256, 32, 1))) {
            java.security.Signature jdk = java.security.Signature.getInstance("RSASSA-PSS");
            jdk.setParameter(params);
            jdk.initSign(key.getPrivate());
            jdk.update(signed.toByteArray());
            boolean ours = params.getSaltLength() == 32 && params.getDigestAlgorithm().equals("SHA3-256")
                    && ((java.security.spec.MGF1ParameterSpec) params.getMGFParameters()).getDigestAlgorithm().equals("SHA3-256");
            assertEquals(ours, Signatures.verify(key.getPublic(), SigningPurpose.COMMAND, CLUSTER_A, BYTES, jdk.sign()),
                    params.getDigestAlgorithm() + " salt " + params.getSaltLength() + " " + params.getMGFParameters());
        }
    }

    @Test
    void clusterIdMustHave32Bytes() {
        assertThrows(IllegalArgumentException.class,
                () -> Signatures.sign(key.getPrivate(), SigningPurpose.COMMAND, new byte[5], BYTES));
        assertFalse(Signatures.verify(key.getPublic(), SigningPurpose.COMMAND, new byte[5], BYTES, new byte[384]));
    }

    /** The per-thread Signature is reused: whatever a failed use left in it must not affect the next use. */
    @Test
    void aFailedUseLeavesNothingBehindForTheNext() {
        byte[] sig = Signatures.sign(key.getPrivate(), SigningPurpose.COMMAND, CLUSTER_A, BYTES);
        for (int i = 0; i < 3; i++) {
            assertFalse(Signatures.verify(key.getPublic(), SigningPurpose.COMMAND, new byte[5], BYTES, sig));
            assertFalse(Signatures.verify(key.getPublic(), SigningPurpose.COMMAND, CLUSTER_A, BYTES, new byte[7000]));
            assertThrows(IllegalArgumentException.class,
                    () -> Signatures.sign(key.getPrivate(), SigningPurpose.COMMAND, new byte[5], BYTES));
            assertTrue(Signatures.verify(key.getPublic(), SigningPurpose.COMMAND, CLUSTER_A, BYTES, sig));
            assertFalse(Signatures.verify(key.getPublic(), SigningPurpose.UPLOAD, CLUSTER_A, BYTES, sig));
            assertTrue(Signatures.verify(key.getPublic(), SigningPurpose.COMMAND, CLUSTER_A, BYTES,
                    Signatures.sign(key.getPrivate(), SigningPurpose.COMMAND, CLUSTER_A, BYTES)));
        }
    }

    @Test
    void threadsVerifyAtOnceEachWithItsOwnState() throws Exception {
        byte[] good = Signatures.sign(key.getPrivate(), SigningPurpose.COMMAND, CLUSTER_A, BYTES);
        byte[] other = Signatures.sign(TestKeys.commander(1).getPrivate(), SigningPurpose.COMMAND, CLUSTER_A, BYTES);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var results = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
            for (int i = 0; i < 64; i++) {
                boolean expectValid = i % 2 == 0;
                results.add(pool.submit(() -> Signatures.verify(key.getPublic(), SigningPurpose.COMMAND, CLUSTER_A, BYTES,
                        expectValid ? good : other) == expectValid));
            }
            for (var r : results) {
                assertTrue(r.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
