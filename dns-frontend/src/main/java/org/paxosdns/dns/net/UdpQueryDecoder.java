package org.paxosdns.dns.net;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/** Copies a datagram into a {@link DnsQuery}; the base class releases the datagram's buffer. */
final class UdpQueryDecoder extends MessageToMessageDecoder<DatagramPacket> {
    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
        out.add(new DnsQuery(ByteBufUtil.getBytes(packet.content()), packet.sender(), false));
    }
}
