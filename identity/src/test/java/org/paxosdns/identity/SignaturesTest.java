package org.paxosdns.identity;

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
