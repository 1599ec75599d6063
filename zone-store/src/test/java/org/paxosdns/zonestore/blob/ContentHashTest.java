package org.paxosdns.zonestore.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

final class ContentHashTest {
    @Test
    void hexRoundTripsAndNamesAreLowerCase() {
        ContentHash hash = ContentHash.of(new byte[] {1, 2, 3});
        assertEquals(hash, ContentHash.fromHex(hash.toHex().toUpperCase(java.util.Locale.ROOT)));
        assertTrue(ContentHash.isHexName(hash.toHex()));
        assertFalse(ContentHash.isHexName(hash.toHex().toUpperCase(java.util.Locale.ROOT)));
    }

    @Test
    void wrongLengthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ContentHash.fromBytes(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> ContentHash.fromHex("abc"));
    }
}
