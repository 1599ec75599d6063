package org.paxosdns.comms;

import com.google.protobuf.CodedInputStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.io.IOException;
import java.util.List;
import org.paxosdns.proto.FormatVersion;
import org.paxosdns.proto.PeerErrorCode;
import org.paxosdns.proto.PeerFrame;

/**
 * Splits the byte stream into {@link PeerFrame}s. A length over the current limit, bytes that
 * do not parse, or an unknown format version raise a {@link PeerProtocolException} before any
 * more input is buffered; the limit is small until the session is confirmed.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private int frameBytesMax = WireFormat.HANDSHAKE_FRAME_BYTES_MAX;
    private boolean failed;

    /** Raises the limit once the peer has proved who it is. */
    void frameBytesMax(int limit) {
        this.frameBytesMax = limit;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws PeerProtocolException {
        while (!failed && in.readableBytes() >= WireFormat.LENGTH_PREFIX_BYTES) {
            long length = in.getUnsignedInt(in.readerIndex());
            if (length > frameBytesMax) {
                fail(in);
                throw new PeerProtocolException(PeerErrorCode.FRAME_TOO_LARGE,
                        "frame of " + length + " bytes exceeds the limit of " + frameBytesMax);
            }
            if (in.readableBytes() < WireFormat.LENGTH_PREFIX_BYTES + length) {
                return;
            }
            in.skipBytes(WireFormat.LENGTH_PREFIX_BYTES);
            ByteBuf body = in.readSlice((int) length);
            out.add(parse(body, in));
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
        }
    }

    private PeerFrame parse(ByteBuf body, ByteBuf in) throws PeerProtocolException {
        PeerFrame frame;
        try {
            // Parsed with aliasing off: the frame must not point into a buffer Netty reuses.
            frame = PeerFrame.parseFrom(CodedInputStream.newInstance(body.nioBuffer()));
        } catch (IOException e) {
            fail(in);
            throw new PeerProtocolException(PeerErrorCode.MALFORMED, "frame does not parse: " + e.getMessage());
        }
        if (frame.getFormatVersion() != FormatVersion.FORMAT_VERSION_1) {
            fail(in);
            throw new PeerProtocolException(PeerErrorCode.UNSUPPORTED_VERSION,
                    "frame format version " + frame.getFormatVersionValue() + "; this node speaks 1");
        }
        if (frame.getKindCase() == PeerFrame.KindCase.KIND_NOT_SET) {
            fail(in);
            throw new PeerProtocolException(PeerErrorCode.MALFORMED, "frame carries no message");
        }
        return frame;
    }

    private void fail(ByteBuf in) {
        failed = true;
        in.skipBytes(in.readableBytes());
    }
}
