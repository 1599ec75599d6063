package org.paxosdns.dns.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * The whole UDP pipeline in one handler: reads a datagram's bytes, releases it, answers
 * through {@link QueryHandler#answerUdp} and writes the answer in a pooled direct buffer (the
 * native transport sends direct memory without another copy). One stage instead of a decoder,
 * a handler and an encoder saves two intermediate objects and the codecs' output lists per
 * packet. Answers are flushed once per read batch.
 */
@ChannelHandler.Sharable
final class UdpQueryHandler extends ChannelInboundHandlerAdapter {
    private final QueryHandler answers;

    UdpQueryHandler(QueryHandler answers) {
        this.answers = answers;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        byte[] wire;
        InetSocketAddress sender = packet.sender();
        try {
            wire = ByteBufUtil.getBytes(packet.content());
        } finally {
            packet.release();
        }
        byte[] response = answers.answerUdp(wire, sender.getAddress());
        if (response != null) {
            ByteBuf out = ctx.alloc().directBuffer(response.length).writeBytes(response);
            ctx.write(new DatagramPacket(out, sender), ctx.voidPromise());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    /** A lost datagram is not an error worth more than the sender's retry. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // UDP has no connection to close; the client retries
    }
}
