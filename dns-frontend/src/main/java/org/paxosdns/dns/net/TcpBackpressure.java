package org.paxosdns.dns.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Stops reading a TCP connection's queries while its unsent answers exceed the high water
 * mark, and resumes below the low one: a client that pipelines queries but never reads its
 * answers cannot make the server buffer without bound.
 */
final class TcpBackpressure extends ChannelInboundHandlerAdapter {
    /** Unsent answer bytes at which reading stops. */
    static final int pendingAnswerHighBytes = 256 * 1024;
    /** Unsent answer bytes at which reading resumes. */
    static final int pendingAnswerLowBytes = 64 * 1024;

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        super.channelWritabilityChanged(ctx);
    }
}
