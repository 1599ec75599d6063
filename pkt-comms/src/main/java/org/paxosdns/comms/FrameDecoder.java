package org.paxosdns.comms;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.paxosdns.proto.PeerErrorCode;

/**
 * Splits the byte stream into frames (retained slices of the input, one per frame, which the
 * next handler parses and releases). A length over the current limit raises a
 * {@link PeerProtocolException} before any more input is buffered; the limit is small until
 * the session is confirmed.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private int frameBytesMax = WireFormat.HANDSHAKE_FRAME_BYTES_MAX;
    private boolean failed;

    FrameDecoder() {
        // Reads are appended as components rather than copied; only a frame split across two reads is merged.
        setCumulator(COMPOSITE_CUMULATOR);
    }

    /** Raises the limit once the peer has proved who it is. */
    void frameBytesMax(int limit) {
        this.frameBytesMax = limit;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws PeerProtocolException {
        while (!failed && in.readableBytes() >= WireFormat.LENGTH_PREFIX_BYTES) {
            long length = in.getUnsignedInt(in.readerIndex());
            if (length > frameBytesMax) {
                failed = true;
                in.skipBytes(in.readableBytes());
                throw new PeerProtocolException(PeerErrorCode.FRAME_TOO_LARGE,
                        "frame of " + length + " bytes exceeds the limit of " + frameBytesMax);
            }
            if (in.readableBytes() < WireFormat.LENGTH_PREFIX_BYTES + length) {
                return;
            }
            in.skipBytes(WireFormat.LENGTH_PREFIX_BYTES);
            out.add(in.readRetainedSlice((int) length));
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
        }
    }
}
