package org.paxosdns.dns.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/** Wraps a {@link DnsReply} into a datagram to its recipient. */
final class UdpReplyEncoder extends MessageToMessageEncoder<DnsReply> {
    @Override
    protected void encode(ChannelHandlerContext ctx, DnsReply reply, List<Object> out) {
        out.add(new DatagramPacket(Unpooled.wrappedBuffer(reply.wire()), reply.recipient()));
    }
}
