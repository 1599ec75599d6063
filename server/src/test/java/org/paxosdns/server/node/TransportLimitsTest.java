package org.paxosdns.server.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.paxosdns.comms.WireFormat;
import org.paxosdns.consensus.PaxosCodec;
import org.paxosdns.server.blob.BlobTransfer;

/** The mesh carries whole every message the layers above may send it. */
final class TransportLimitsTest {
    @Test
    void theLargestEngineMessageFitsOneMeshMessage() {
        assertTrue(PaxosCodec.messageBytesMax <= WireFormat.APP_CONTENTS_BYTES_MAX,
                "a promise over a full window must never be dropped for its size");
    }

    @Test
    void aBlobChunkFitsOneMeshMessage() {
        assertTrue(BlobTransfer.CHUNK_BYTES + 1024 <= WireFormat.APP_CONTENTS_BYTES_MAX);
    }
}
