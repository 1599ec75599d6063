package org.paxosdns.server.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

final class KvCodecTest {
    /** The size limits count UTF-8 bytes without encoding: the count must be the encoder's. */
    @Test
    void utf8LengthIsTheEncodedLength() {
        for (String s : List.of("", "k1", "é", "ß€", "€uro", "😀", "a😀b😀", "\u007f\u0080\u07ff\u0800\uffff", "v".repeat(256))) {
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, KvCodec.utf8Length(s), s);
        }
    }
}
