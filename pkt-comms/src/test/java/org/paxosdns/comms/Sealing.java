package org.paxosdns.comms;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.ByteBuffer;
import org.paxosdns.proto.PeerFrame;
import org.paxosdns.proto.Sealed;

/** Test access to sealed records as messages, so tests can tamper with them. */
final class Sealing {
    private Sealing() {}

    /** Seals arbitrary bytes as the next record of {@code sealer} and returns the Sealed message. */
    static Sealed seal(RecordCipher sealer, byte[] plaintext) {
        ByteBuf frame = sealer.sealFrame(UnpooledByteBufAllocator.DEFAULT, ByteBuffer.wrap(plaintext));
        try {
            frame.skipBytes(WireFormat.LENGTH_PREFIX_BYTES);
            byte[] body = new byte[frame.readableBytes()];
            frame.readBytes(body);
            return PeerFrame.parseFrom(body).getSealed();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("sealFrame wrote an unparseable frame", e);
        } finally {
            frame.release();
        }
    }
}
