package org.paxosdns.dns.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.net.InetSocketAddress;
import java.util.List;

/** Turns one length-stripped TCP frame into a {@link DnsQuery}; the base class releases the frame. */
final class TcpQueryDecoder extends MessageToMessageDecoder<ByteBuf> {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        out.add(new DnsQuery(ByteBufUtil.getBytes(frame), (InetSocketAddress) ctx.channel().remoteAddress()));
    }
}
