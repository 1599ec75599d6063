package org.paxosdns.zonestore.blob;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

final class VerifiedBlobTest {
    private final byte[] content = "zone file bytes".getBytes(UTF_8);

    @Test
    void ofHashesTheBytes() {
        VerifiedBlob blob = VerifiedBlob.of(content);
        assertEquals(ContentHash.of(content), blob.hash());
        assertSame(content, blob.content());
    }

    @Test
    void bytesThatDoNotHashToTheStatedAddressAreNoBlob() {
        assertTrue(VerifiedBlob.ifMatches(ContentHash.of("other".getBytes(UTF_8)), content).isEmpty());
        assertEquals(ContentHash.of(content), VerifiedBlob.ifMatches(ContentHash.of(content), content).orElseThrow().hash());
    }
}
