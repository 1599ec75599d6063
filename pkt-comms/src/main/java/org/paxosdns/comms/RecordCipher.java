package org.paxosdns.comms;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.paxosdns.proto.PeerErrorCode;
import org.paxosdns.proto.Sealed;

/**
 * One direction of a session: AES-256-GCM whose nonce is a counter that rises by exactly one
 * per record. Both ends count records and plaintext bytes the same way, so both ratchet the key
 * (HKDF-Expand of the old key) at the same record without a message saying so.
 */
final class RecordCipher {
    static final int KEY_BYTES = 32;
    static final int TAG_BYTES = 16;
    private static final int TAG_BITS = TAG_BYTES * 8;
    private static final int NONCE_BYTES = 12;
    private static final byte[] RATCHET_INFO = "paxosdns/v1/ratchet".getBytes(StandardCharsets.US_ASCII);

    private final int mode;
    private final long recordsPerKeyMax;
    private final long bytesPerKeyMax;
    private final Cipher cipher;
    private final byte[] nonce = new byte[NONCE_BYTES];
    private ByteBuffer plaintext;
    private byte[] key;
    private SecretKeySpec keySpec;
    private long counter;
    private long epochRecords;
    private long epochBytes;
    private long ratchets;

    private RecordCipher(int mode, byte[] key, long recordsPerKeyMax, long bytesPerKeyMax) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("AES-256 needs a 32-byte key");
        }
        this.mode = mode;
        this.recordsPerKeyMax = recordsPerKeyMax;
        this.bytesPerKeyMax = bytesPerKeyMax;
        this.key = key.clone();
        this.keySpec = new SecretKeySpec(this.key, "AES");
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES-GCM", e);
        }
    }

    static RecordCipher sealer(byte[] key, long recordsPerKeyMax, long bytesPerKeyMax) {
        return new RecordCipher(Cipher.ENCRYPT_MODE, key, recordsPerKeyMax, bytesPerKeyMax);
    }

    static RecordCipher opener(byte[] key, long recordsPerKeyMax, long bytesPerKeyMax) {
        return new RecordCipher(Cipher.DECRYPT_MODE, key, recordsPerKeyMax, bytesPerKeyMax);
    }

    /** Encrypts one record under the next counter. */
    Sealed seal(byte[] plaintext, int length) {
        checkMode(Cipher.ENCRYPT_MODE);
        if (counter == Long.MAX_VALUE) {
            throw new IllegalStateException("record counter exhausted; the session must be replaced");
        }
        try {
            cipher.init(Cipher.ENCRYPT_MODE, keySpec, new GCMParameterSpec(TAG_BITS, nonceFor(counter)));
            byte[] box = new byte[length + TAG_BYTES];
            cipher.doFinal(plaintext, 0, length, box, 0);
            Sealed sealed = Sealed.newBuilder().setCounter(counter).setBox(UnsafeByteOperations.unsafeWrap(box)).build();
            advance(length);
            return sealed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Checks the counter is exactly the next one, then decrypts and authenticates the record.
     * Returns a read-only view of the plaintext, valid until the next call: records are
     * decrypted into one reusable direct buffer, so no record costs an allocation.
     */
    ByteBuffer open(Sealed sealed) throws PeerProtocolException {
        checkMode(Cipher.DECRYPT_MODE);
        if (sealed.getCounter() != counter) {
            boolean repeated = Long.compareUnsigned(sealed.getCounter(), counter) < 0;
            throw new PeerProtocolException(repeated ? PeerErrorCode.COUNTER_REPEATED : PeerErrorCode.COUNTER_SKIPPED,
                    "record counter " + Long.toUnsignedString(sealed.getCounter()) + ", expected " + counter);
        }
        ByteString box = sealed.getBox();
        if (box.size() < TAG_BYTES) {
            throw new PeerProtocolException(PeerErrorCode.AUTH_FAILED, "record shorter than its tag");
        }
        if (box.size() - TAG_BYTES > WireFormat.RECORD_PLAINTEXT_BYTES_MAX) {
            throw new PeerProtocolException(PeerErrorCode.FRAME_TOO_LARGE, "record plaintext over "
                    + WireFormat.RECORD_PLAINTEXT_BYTES_MAX + " bytes");
        }
        ByteBuffer out = plaintextBuffer();
        out.clear();
        try {
            cipher.init(Cipher.DECRYPT_MODE, keySpec, new GCMParameterSpec(TAG_BITS, nonceFor(counter)));
            cipher.doFinal(box.asReadOnlyByteBuffer(), out);
        } catch (AEADBadTagException e) {
            throw new PeerProtocolException(PeerErrorCode.AUTH_FAILED, "record " + counter + " failed authentication");
        } catch (GeneralSecurityException e) {
            throw new PeerProtocolException(PeerErrorCode.AUTH_FAILED, "record " + counter + ": " + e.getMessage());
        }
        out.flip();
        advance(out.remaining());
        return out.asReadOnlyBuffer();
    }

    private ByteBuffer plaintextBuffer() {
        if (plaintext == null) {
            // Direct like the ciphertext Netty reads, so AES-GCM works in place without a bounce copy.
            plaintext = ByteBuffer.allocateDirect(WireFormat.RECORD_PLAINTEXT_BYTES_MAX);
        }
        return plaintext;
    }

    /** How many times the key has been ratcheted. */
    long ratchets() {
        return ratchets;
    }

    private void advance(int plaintextBytes) {
        counter++;
        epochRecords++;
        epochBytes += plaintextBytes;
        if (epochRecords >= recordsPerKeyMax || epochBytes >= bytesPerKeyMax) {
            key = Hkdf.sha3().expand(key, RATCHET_INFO, KEY_BYTES);
            keySpec = new SecretKeySpec(key, "AES");
            epochRecords = 0;
            epochBytes = 0;
            ratchets++;
        }
    }

    private byte[] nonceFor(long value) {
        for (int i = 0; i < Long.BYTES; i++) {
            nonce[NONCE_BYTES - 1 - i] = (byte) (value >>> (8 * i));
        }
        return nonce;
    }

    private void checkMode(int expected) {
        if (mode != expected) {
            throw new IllegalStateException("this record cipher works in the other direction");
        }
    }
}
