package org.paxosdns.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

final class NameIndexTest {
    private static byte[] wire(String name) throws TextParseException {
        return Name.fromString(name).toWire();
    }

    @Test
    void namesAreFoundInAnyCaseAndKeepTheFirstCase() throws Exception {
        NameIndex index = new NameIndex(4);
        assertEquals(0, index.add(wire("Host1.Example."), 0));
        assertEquals(0, index.add(wire("host1.example."), 0));
        assertEquals(0, index.find(wire("HOST1.EXAMPLE."), 0));
        assertEquals(-1, index.find(wire("host2.example."), 0));
        assertEquals("Host1.Example.", new Name(new DNSInput(Arrays.copyOfRange(index.arena(), index.start(0), index.arena().length))).toString());
    }

    @Test
    void growthAndTrimKeepEveryNameAtItsId() throws Exception {
        NameIndex index = new NameIndex(1);
        int names = 50_000;
        for (int i = 0; i < names; i++) {
            assertEquals(i, index.add(wire("host" + i + ".example."), 0));
        }
        index.trim();
        assertEquals(names, index.size());
        for (int i = 0; i < names; i++) {
            assertEquals(i, index.find(wire("HOST" + i + ".example."), 0));
        }
        assertEquals(-1, index.find(wire("host" + names + ".example."), 0));
    }
}
