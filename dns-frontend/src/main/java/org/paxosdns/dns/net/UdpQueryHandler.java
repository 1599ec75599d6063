package org.paxosdns.dns.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * The whole UDP pipeline of one socket in one handler: copies a datagram's bytes into this
 * handler's query buffer (reused: a socket is read by one event loop), releases the datagram,
 * answers through {@link QueryHandler#answerUdp} and writes the answer, which comes in a pooled
 * direct buffer (the native transport sends direct memory without another copy). A cache hit
 * allocates no byte array at all: the cached answer is copied into the send buffer and patched
 * there. One stage instead of a decoder, a handler and an encoder saves two intermediate
 * objects and the codecs' output lists per packet. Answers are flushed once per read batch.
 * One instance per socket, never shared (the query buffer).
 */
final class UdpQueryHandler extends ChannelInboundHandlerAdapter {
    private final QueryHandler answers;
    /** The datagram being answered; longer ones are cut here (and answered FORMERR). */
    private final byte[] query = new byte[DnsServer.udpQueryMaxBytes];

    UdpQueryHandler(QueryHandler answers) {
        this.answers = answers;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        int length;
        InetSocketAddress sender = packet.sender();
        try {
            ByteBuf content = packet.content();
            length = Math.min(content.readableBytes(), query.length);
            content.getBytes(content.readerIndex(), query, 0, length);
        } finally {
            packet.release();
        }
        ByteBuf response = answers.answerUdp(query, length, sender.getAddress(), ctx.alloc());
        if (response != null) {
            ctx.write(new DatagramPacket(response, sender), ctx.voidPromise());
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
