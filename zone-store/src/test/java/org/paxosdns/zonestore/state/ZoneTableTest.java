package org.paxosdns.zonestore.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.paxosdns.zonestore.blob.ContentHash;

final class ZoneTableTest {
    private static ZoneEntry entry(String fqdn, long serial) {
        return new ZoneEntry(fqdn, ContentHash.of(new byte[] {(byte) serial}), serial, serial, "alice");
    }

    @Test
    void mergesMatchASortedMapModel() {
        Random random = new Random(42);
        TreeMap<String, ZoneEntry> model = new TreeMap<>();
        ZoneTable table = ZoneTable.EMPTY;
        for (int round = 0; round < 2_000; round++) {
            TreeMap<String, ZoneEntry> updates = new TreeMap<>();
            int ops = 1 + random.nextInt(4);
            for (int i = 0; i < ops; i++) {
                String fqdn = "z" + random.nextInt(60) + ".example.com.";
                boolean delete = random.nextInt(3) == 0 && model.containsKey(fqdn);
                updates.put(fqdn, delete ? null : entry(fqdn, round));
            }
            table = table.with(updates);
            updates.forEach((fqdn, value) -> {
                if (value == null) {
                    model.remove(fqdn);
                } else {
                    model.put(fqdn, value);
                }
            });
            assertEquals(new ArrayList<>(model.values()), table.entries());
        }
        for (int i = 0; i < 60; i++) {
            String fqdn = "z" + i + ".example.com.";
            assertEquals(model.get(fqdn), table.get(fqdn));
        }
        assertNull(table.get("absent.example.com."));
    }
}
