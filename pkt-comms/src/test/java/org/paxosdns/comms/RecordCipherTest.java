package org.paxosdns.comms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.paxosdns.proto.PeerErrorCode;
import org.paxosdns.proto.Sealed;

class RecordCipherTest {
    private static final byte[] KEY = new byte[32];

    @Test
    void bothEndsRatchetAtTheSameRecord() throws Exception {
        RecordCipher sealer = RecordCipher.sealer(KEY, 3, 1 << 20);
        RecordCipher opener = RecordCipher.opener(KEY, 3, 1 << 20);
        for (int i = 0; i < 10; i++) {
            byte[] plain = ("record " + i).getBytes(StandardCharsets.UTF_8);
            Sealed sealed = Sealing.seal(sealer, plain);
            assertEquals(i, sealed.getCounter());
            assertArrayEquals(plain, bytes(opener.open(sealed)));
        }
        assertEquals(3, sealer.ratchets());
        assertEquals(3, opener.ratchets());
    }

    @Test
    void volumeLimitRatchetsToo() throws Exception {
        RecordCipher sealer = RecordCipher.sealer(KEY, Long.MAX_VALUE, 100);
        RecordCipher opener = RecordCipher.opener(KEY, Long.MAX_VALUE, 100);
        byte[] plain = new byte[60];
        for (int i = 0; i < 4; i++) {
            opener.open(Sealing.seal(sealer, plain));
        }
        assertEquals(2, sealer.ratchets());
        assertEquals(2, opener.ratchets());
    }

    @Test
    void aRecordUnderAnOldKeyFailsAfterTheRatchet() {
        RecordCipher stale = RecordCipher.sealer(KEY, 1, 1 << 20);
        RecordCipher opener = RecordCipher.opener(KEY, 1, 1 << 20);
        byte[] plain = {1, 2, 3};
        Sealed first = Sealing.seal(stale, plain);
        Sealed forged = Sealing.seal(RecordCipher.sealer(KEY, 1 << 20, 1 << 20), plain).toBuilder().setCounter(1).build();
        assertThrows(PeerProtocolException.class, () -> {
            opener.open(first);
            opener.open(forged);
        });
    }

    @Test
    void counterMustRiseByExactlyOne() throws Exception {
        RecordCipher sealer = RecordCipher.sealer(KEY, 100, 1 << 20);
        RecordCipher opener = RecordCipher.opener(KEY, 100, 1 << 20);
        byte[] plain = {1};
        Sealed zero = Sealing.seal(sealer, plain);
        Sealed one = Sealing.seal(sealer, plain);
        Sealed two = Sealing.seal(sealer, plain);
        opener.open(zero);
        PeerProtocolException skipped = assertThrows(PeerProtocolException.class, () -> opener.open(two));
        assertEquals(PeerErrorCode.COUNTER_SKIPPED, skipped.code());
        opener.open(one);
        PeerProtocolException repeated = assertThrows(PeerProtocolException.class, () -> opener.open(one));
        assertEquals(PeerErrorCode.COUNTER_REPEATED, repeated.code());
    }

    /** A connection's receive buffer starts at a packed record's size and grows only for a larger record. */
    @Test
    void theReceiveBufferGrowsToTheLargestRecordOnly() throws Exception {
        RecordCipher sealer = RecordCipher.sealer(KEY, 1 << 20, 1L << 40);
        RecordCipher opener = RecordCipher.opener(KEY, 1 << 20, 1L << 40);
        assertEquals(0, opener.plaintextCapacity());
        byte[] small = new byte[1000];
        assertArrayEquals(small, bytes(opener.open(Sealing.seal(sealer, small))));
        assertEquals(RecordCipher.BUFFER_BYTES_INITIAL, opener.plaintextCapacity());
        byte[] large = new byte[3 << 20];
        new java.util.Random(7).nextBytes(large);
        assertArrayEquals(large, bytes(opener.open(Sealing.seal(sealer, large))));
        assertEquals(large.length, opener.plaintextCapacity());
        byte[] again = "after".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(again, bytes(opener.open(Sealing.seal(sealer, again))));
        assertEquals(large.length, opener.plaintextCapacity(), "kept, not made again");
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    @Test
    void hkdfMatchesRfc5869TestCase1() {
        HexFormat hex = HexFormat.of();
        Hkdf hkdf = new Hkdf("HmacSHA256");
        byte[] prk = hkdf.extract(hex.parseHex("000102030405060708090a0b0c"), hex.parseHex("0b".repeat(22)));
        assertEquals("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5", hex.formatHex(prk));
        byte[] okm = hkdf.expand(prk, hex.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
        assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
                hex.formatHex(okm));
    }
}
