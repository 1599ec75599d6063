package org.paxosdns.dns.net;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.paxosdns.dns.QueryProcessor;

/**
 * Answers each {@link DnsQuery} in arrival order (so pipelined TCP queries are answered in
 * order), applying the rate limiter to UDP answers. Stateless, shared by every channel. Writes
 * use the void promise (no allocation per answer); a failed write reaches
 * {@link #exceptionCaught}, which closes a TCP connection and ignores a lost datagram.
 */
@ChannelHandler.Sharable
final class QueryHandler extends SimpleChannelInboundHandler<DnsQuery> {
    private final QueryProcessor processor;
    private final RateLimiter rateLimiter;
    private final ZoneTransfer transfer;

    QueryHandler(QueryProcessor processor, RateLimiter rateLimiter, ZoneTransfer transfer) {
        this.processor = processor;
        this.rateLimiter = rateLimiter;
        this.transfer = transfer;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
        if (query.tcp() && transfer.isTransferRequest(query.wire())) {
            transfer.answer(query, reply -> ctx.write(new DnsReply(reply, query.sender()), ctx.voidPromise()));
            return;
        }
        byte[] response = processor.process(query.wire(), query.tcp());
        if (response == null) {
            return;
        }
        if (!query.tcp()) {
            response = rateLimiter.admit(query.sender().getAddress(), response);
            if (response == null) {
                return;
            }
        }
        ctx.write(new DnsReply(response, query.sender()), ctx.voidPromise());
    }

    /** One flush per read batch: with epoll many datagrams are read, answered, then sent together. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(ctx.channel() instanceof io.netty.channel.socket.DatagramChannel)) {
            ctx.close();
        }
    }
}
