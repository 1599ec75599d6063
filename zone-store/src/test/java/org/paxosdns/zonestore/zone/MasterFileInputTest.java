package org.paxosdns.zonestore.zone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

final class MasterFileInputTest {
    /** Line endings, parentheses, quotes, escapes, comments, directives and a byte above 0x7f. */
    private static final String ZONE = "$ORIGIN example.\r\n$TTL 300\n"
            + "@ IN SOA ns1 hostmaster ( 7 ; serial\n 7200 3600 1209600 300 )\n"
            + "@ NS ns1\nns1 A 192.0.2.1\n"
            + "txt 60 IN TXT \"a \\\"quoted\\\" ; not a comment\" \"caf\u00e9\"\n"
            + "\tAAAA 2001:db8::1 ; the previous owner\n"
            + "esc\\.aped TXT x\\044y\n"
            + "$ORIGIN sub.example.\nwww CNAME @\n";

    @Test
    void dnsjavaReadsTheSameRecordsAsFromAByteArrayStream() throws IOException {
        byte[] content = ZONE.getBytes(StandardCharsets.UTF_8);
        List<Record> expected = records(new ByteArrayInputStream(content));
        List<Record> actual = records(new MasterFileInput(content));
        assertEquals(7, expected.size());
        assertEquals(expected, actual);
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).rdataToWireCanonical(), actual.get(i).rdataToWireCanonical());
            assertEquals(expected.get(i).getTTL(), actual.get(i).getTTL());
        }
    }

    @Test
    void readsBytesAsUnsignedThenEndOfStream() {
        MasterFileInput input = new MasterFileInput(new byte[] {(byte) 0xe9, 0x41});
        assertEquals(2, input.available());
        assertEquals(0xe9, input.read());
        assertEquals(0x41, input.read());
        assertEquals(-1, input.read());
        assertEquals(0, input.available());
    }

    @Test
    void readsIntoAnArrayAndSkips() {
        MasterFileInput input = new MasterFileInput("abcdef".getBytes(StandardCharsets.US_ASCII));
        byte[] into = new byte[4];
        assertEquals(0, input.read(into, 0, 0));
        assertEquals(2, input.skip(2));
        assertEquals(3, input.read(into, 1, 3));
        assertArrayEquals(new byte[] {0, 'c', 'd', 'e'}, into);
        assertEquals(1, input.read(into, 0, 4));
        assertEquals(-1, input.read(into, 0, 4));
        assertEquals(0, input.skip(5));
    }

    private static List<Record> records(InputStream in) throws IOException {
        List<Record> out = new ArrayList<>();
        try (Master master = new Master(in, Name.root)) {
            Record record;
            while ((record = master.nextRecord()) != null) {
                out.add(record);
            }
        }
        return out;
    }
}
