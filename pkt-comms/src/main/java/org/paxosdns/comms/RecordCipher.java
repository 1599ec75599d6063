package org.paxosdns.comms;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.paxosdns.proto.FormatVersion;
import org.paxosdns.proto.PeerErrorCode;
import org.paxosdns.proto.PeerFrame;
import org.paxosdns.proto.Sealed;

/**
 * One direction of a session: AES-256-GCM whose nonce is a counter that rises by exactly one
 * per record. Both ends count records and plaintext bytes the same way, so both ratchet the key
 * (HKDF-Expand of the old key) at the same record without a message saying so.
 */
final class RecordCipher {
    static final int KEY_BYTES = 32;
    static final int TAG_BYTES = 16;
    /** Bytes a reusable plaintext buffer starts with: a record packed to {@link WireFormat#RECORD_PACK_BYTES}, framing and all. */
    static final int BUFFER_BYTES_INITIAL = WireFormat.RECORD_PACK_BYTES + 4096;
    private static final int TAG_BITS = TAG_BYTES * 8;
    private static final int NONCE_BYTES = 12;
    private static final int FORMAT_VERSION = FormatVersion.FORMAT_VERSION_1_VALUE;
    private static final byte[] RATCHET_INFO = "paxosdns/v1/ratchet".getBytes(StandardCharsets.US_ASCII);

    private final int mode;
    private final long recordsPerKeyMax;
    private final long bytesPerKeyMax;
    private final Cipher cipher;
    private final byte[] nonce = new byte[NONCE_BYTES];
    private ByteBuffer plaintext;
    private byte[] boxCopy;
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

    /**
     * Encrypts {@code plaintext} (a heap buffer, position to limit) under the next counter
     * straight into a complete length-prefixed frame: {@code PeerFrame{format_version,
     * sealed{counter, box}}}. The protobuf header is written by hand so that AES-GCM can write
     * the box in place, without an intermediate array. Heap arrays on both sides, not direct
     * buffers: the JDK's AES-GCM uses its GHASH intrinsic only on arrays, and runs block by
     * block in Java on direct buffers (a quarter of a node's CPU in a profile of the write path).
     */
    ByteBuf sealFrame(ByteBufAllocator alloc, ByteBuffer plaintext) {
        checkMode(Cipher.ENCRYPT_MODE);
        if (counter == Long.MAX_VALUE) {
            throw new IllegalStateException("record counter exhausted; the session must be replaced");
        }
        int plaintextBytes = plaintext.remaining();
        int boxBytes = plaintextBytes + TAG_BYTES;
        int sealedBytes = CodedOutputStream.computeUInt64Size(Sealed.COUNTER_FIELD_NUMBER, counter)
                + CodedOutputStream.computeTagSize(Sealed.BOX_FIELD_NUMBER)
                + CodedOutputStream.computeUInt32SizeNoTag(boxBytes) + boxBytes;
        int frameBytes = CodedOutputStream.computeEnumSize(PeerFrame.FORMAT_VERSION_FIELD_NUMBER, FORMAT_VERSION)
                + CodedOutputStream.computeTagSize(PeerFrame.SEALED_FIELD_NUMBER)
                + CodedOutputStream.computeUInt32SizeNoTag(sealedBytes) + sealedBytes;
        int headerBytes = frameBytes - boxBytes;
        if (!plaintext.hasArray()) {
            throw new IllegalArgumentException("records are sealed from heap buffers");
        }
        ByteBuf frame = alloc.heapBuffer(WireFormat.LENGTH_PREFIX_BYTES + frameBytes);
        try {
            frame.writeInt(frameBytes);
            int headerAt = frame.arrayOffset() + WireFormat.LENGTH_PREFIX_BYTES;
            CodedOutputStream header = CodedOutputStream.newInstance(frame.array(), headerAt, headerBytes);
            header.writeEnum(PeerFrame.FORMAT_VERSION_FIELD_NUMBER, FORMAT_VERSION);
            header.writeTag(PeerFrame.SEALED_FIELD_NUMBER, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
            header.writeUInt32NoTag(sealedBytes);
            header.writeUInt64(Sealed.COUNTER_FIELD_NUMBER, counter);
            header.writeTag(Sealed.BOX_FIELD_NUMBER, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
            header.writeUInt32NoTag(boxBytes);
            header.flush();
            header.checkNoSpaceLeft();
            cipher.init(Cipher.ENCRYPT_MODE, keySpec, new GCMParameterSpec(TAG_BITS, nonceFor(counter)));
            cipher.doFinal(plaintext.array(), plaintext.arrayOffset() + plaintext.position(), plaintextBytes,
                    frame.array(), headerAt + headerBytes);
            frame.writerIndex(WireFormat.LENGTH_PREFIX_BYTES + frameBytes);
        } catch (GeneralSecurityException | IOException e) {
            frame.release();
            throw new IllegalStateException("sealing a record failed", e);
        }
        advance(plaintextBytes);
        return frame;
    }

    /**
     * Checks the counter is exactly the next one, then decrypts and authenticates the record.
     * Returns a read-only view of the plaintext, valid until the next call: records are
     * copied into one reusable array and decrypted into another (arrays for the GHASH intrinsic,
     * see {@link #sealFrame}), so no record costs an allocation once they hold the largest record seen.
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
        ByteBuffer out = plaintextBuffer(box.size() - TAG_BYTES);
        out.clear();
        int boxBytes = box.size();
        box.copyTo(boxCopy, 0);
        try {
            cipher.init(Cipher.DECRYPT_MODE, keySpec, new GCMParameterSpec(TAG_BITS, nonceFor(counter)));
            out.limit(cipher.doFinal(boxCopy, 0, boxBytes, out.array(), 0));
        } catch (AEADBadTagException e) {
            throw new PeerProtocolException(PeerErrorCode.AUTH_FAILED, "record " + counter + " failed authentication");
        } catch (GeneralSecurityException e) {
            throw new PeerProtocolException(PeerErrorCode.AUTH_FAILED, "record " + counter + ": " + e.getMessage());
        }
        advance(out.remaining());
        return out.asReadOnlyBuffer();
    }

    /**
     * The reusable plaintext buffer, grown to hold {@code plaintextBytes} (and the copy of the box
     * with it). They started at the largest record possible, 16 MiB each, and every node held six
     * such arrays for its two peers (100 MB of its old generation) though records are packed to
     * 64 KiB; a record larger than that grows them once, to its size.
     */
    private ByteBuffer plaintextBuffer(int plaintextBytes) {
        if (plaintext == null || plaintext.capacity() < plaintextBytes) {
            int capacity = Math.max(BUFFER_BYTES_INITIAL, plaintextBytes);
            plaintext = ByteBuffer.allocate(capacity);
            boxCopy = new byte[capacity + TAG_BYTES];
        }
        return plaintext;
    }

    /** The plaintext buffer's capacity (0 before the first record): what a connection holds for receiving. */
    int plaintextCapacity() {
        return plaintext == null ? 0 : plaintext.capacity();
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
