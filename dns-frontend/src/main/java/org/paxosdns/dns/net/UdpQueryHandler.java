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
 * objects and the codecs' output lists per packet.
 *
 * <p>When to flush trades latency against CPU. Each burst of answers wakes the client's
 * receiver once, so a backed-up socket (the last read brought at least {@link #busyReadMin}
 * datagrams) gets one flush per read: large bursts, the fewest wake-ups. Otherwise each answer
 * leaves as soon as it is written, as NSD sends each answer as it makes it (bench/README.md:
 * session 5 found the first answers of a read waiting for the whole read; session 6's percentile
 * client, which sends in bursts, found a median 3-11 us above NSD's while answers left after the
 * 1st, 4th, 16th... and at the end, and from 6 us below to 3 us above with a flush per answer; at
 * full load the busy rule keeps one flush per read, CPU per query 0.990x). One instance per
 * socket, never shared (the query buffer, the counts).
 */
final class UdpQueryHandler extends ChannelInboundHandlerAdapter {
    /** A read of at least this many datagrams means the socket is backed up: flush once per read. */
    static final int busyReadMin = 32;

    private final QueryHandler answers;
    /** Datagrams of the previous read, and of this one so far. */
    private int datagramsPreviousRead;
    private int datagramsThisRead;
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
            if (datagramsPreviousRead < busyReadMin) {
                ctx.flush();
            }
        }
        datagramsThisRead++;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        datagramsPreviousRead = datagramsThisRead;
        datagramsThisRead = 0;
        ctx.flush();
    }

    /** A lost datagram is not an error worth more than the sender's retry. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // UDP has no connection to close; the client retries
    }
}
