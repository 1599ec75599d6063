package org.paxosdns.dns.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes a {@link DnsReply} with its two-byte length prefix (RFC 1035 section 4.2.2). */
final class TcpReplyEncoder extends MessageToByteEncoder<DnsReply> {
    @Override
    protected void encode(ChannelHandlerContext ctx, DnsReply reply, ByteBuf out) {
        out.writeShort(reply.wire().length);
        out.writeBytes(reply.wire());
    }
}
