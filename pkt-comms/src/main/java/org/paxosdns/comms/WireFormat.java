package org.paxosdns.comms;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.paxosdns.proto.AliasingInput;
import org.paxosdns.proto.FormatVersion;
import org.paxosdns.proto.PeerError;
import org.paxosdns.proto.PeerErrorCode;
import org.paxosdns.proto.PeerFrame;

/**
 * The frame layer: a 4-byte big-endian length, then one serialized {@link PeerFrame}. Holds the
 * hard size limits of the peer protocol.
 */
public final class WireFormat {
    /** Bytes of the length prefix. */
    public static final int LENGTH_PREFIX_BYTES = 4;
    /**
     * Largest AppMsg contents {@link Mesh#send} accepts: room for the consensus engine's largest
     * message (a promise over a full window of full batches, about 13.5 MiB), which must never be
     * dropped for its size or an election could never complete.
     */
    public static final int APP_CONTENTS_BYTES_MAX = 16 << 20;
    /** Largest plaintext of one sealed record: one maximal AppMsg and its framing fit. */
    public static final int RECORD_PLAINTEXT_BYTES_MAX = APP_CONTENTS_BYTES_MAX + 4096;
    /** Records are packed with queued messages until they reach this size. */
    public static final int RECORD_PACK_BYTES = 64 * 1024;
    /** Largest frame (after the length prefix) accepted once a session is confirmed. */
    public static final int FRAME_BYTES_MAX = RECORD_PLAINTEXT_BYTES_MAX + 4096;
    /** Largest frame accepted before the handshake completes: unauthenticated peers get little buffer. */
    public static final int HANDSHAKE_FRAME_BYTES_MAX = 8 * 1024;
    /** Longest error description sent or kept. */
    public static final int ERROR_DESC_CHARS_MAX = 256;

    private WireFormat() {}

    /** Serializes {@code frame} behind its length prefix into one (direct) buffer. */
    static ByteBuf encode(ByteBufAllocator alloc, PeerFrame frame) {
        int size = frame.getSerializedSize();
        ByteBuf buf = alloc.directBuffer(LENGTH_PREFIX_BYTES + size);
        buf.writeInt(size);
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(buf.nioBuffer(LENGTH_PREFIX_BYTES, size));
            frame.writeTo(out);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            buf.release();
            throw new UncheckedIOException("protobuf serialization into a sized buffer failed", e);
        }
        buf.writerIndex(LENGTH_PREFIX_BYTES + size);
        return buf;
    }

    /**
     * Parses one frame body. Its bytes fields alias {@code body}: the frame is valid only
     * while {@code body} is, which saves copying every record's ciphertext.
     */
    static PeerFrame parse(ByteBuf body) throws PeerProtocolException {
        PeerFrame frame;
        try {
            CodedInputStream in = AliasingInput.of(body.nioBuffer()); // the frame outlives the parsed message
            frame = PeerFrame.parseFrom(in);
        } catch (IOException e) {
            throw new PeerProtocolException(PeerErrorCode.MALFORMED, "frame does not parse: " + e.getMessage());
        }
        if (frame.getFormatVersion() != FormatVersion.FORMAT_VERSION_1) {
            throw new PeerProtocolException(PeerErrorCode.UNSUPPORTED_VERSION,
                    "frame format version " + frame.getFormatVersionValue() + "; this node speaks 1");
        }
        if (frame.getKindCase() == PeerFrame.KindCase.KIND_NOT_SET) {
            throw new PeerProtocolException(PeerErrorCode.MALFORMED, "frame carries no message");
        }
        return frame;
    }

    static PeerFrame.Builder frame() {
        return PeerFrame.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1);
    }

    static PeerError error(PeerErrorCode code, String description) {
        String desc = description == null ? "" : description;
        if (desc.length() > ERROR_DESC_CHARS_MAX) {
            desc = desc.substring(0, ERROR_DESC_CHARS_MAX);
        }
        return PeerError.newBuilder().setErrCode(code).setErrDesc(desc).build();
    }
}
