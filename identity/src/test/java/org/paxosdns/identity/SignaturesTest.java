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
}
