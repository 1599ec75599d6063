package org.paxosdns.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paxosdns.server.client.PublishOutcome;
import org.paxosdns.zonestore.blob.ContentHash;
import org.xbill.DNS.Type;

/**
 * A served blob corrupted on disk while its node runs: the background scrub finds it, the node
 * fetches a verified copy from a peer, and the zone keeps being answered from memory meanwhile.
 */
final class ZoneScrubTest {
    @Test
    void aRunningNodeReplacesACorruptServedBlobAndKeepsAnswering(@TempDir Path dir) throws Exception {
        try (ClusterFixture fx = ClusterFixture.start(dir, 3, List.of())) {
            fx.cluster.node(2).stop();
            Files.writeString(dir.resolve("node2/node.conf"), "\nblob.scrub-ms = 200\n", StandardOpenOption.APPEND);
            fx.cluster.node(2).start();
            fx.awaitTrue("node2 healthy again", () -> fx.cluster.healthy(2));

            String text = ClusterFixture.zone("s.test.", 1, "192.0.2.20");
            assertTrue(fx.publish("s.test.", text) instanceof PublishOutcome.Done);
            fx.awaitTrue("served everywhere", () -> IntStream.range(0, 3)
                    .allMatch(i -> fx.answer(i, "www.s.test.", Type.A, false).equals(Optional.of("192.0.2.20"))));

            ContentHash hash = ContentHash.of(text.getBytes(StandardCharsets.UTF_8));
            Path blob = dir.resolve("node2/data/blobs").resolve(hash.toHex().substring(0, 2)).resolve(hash.toHex());
            Files.writeString(blob, text.replace("192.0.2.20", "192.0.2.66")); // same length, wrong bytes

            AtomicBoolean corruptServed = new AtomicBoolean();
            fx.awaitTrue("node2 has a verified copy again", () -> {
                corruptServed.compareAndSet(false,
                        fx.answer(2, "www.s.test.", Type.A, false).equals(Optional.of("192.0.2.66")));
                return hashOf(blob).equals(Optional.of(hash));
            });
            assertFalse(corruptServed.get(), "the corrupt bytes were never served");
            assertEquals(Optional.of("192.0.2.20"), fx.answer(2, "www.s.test.", Type.A, false));
        }
    }

    private static Optional<ContentHash> hashOf(Path file) {
        try {
            return Optional.of(ContentHash.of(Files.readAllBytes(file)));
        } catch (IOException e) {
            return Optional.empty(); // between delete and the fetched copy's rename
        }
    }
}
