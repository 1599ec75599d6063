package org.paxosdns.dns.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.net.InetAddress;
import java.util.Arrays;
import org.paxosdns.dns.CachedAnswer;
import org.paxosdns.dns.QueryProcessor;

/**
 * Answers each TCP {@link DnsQuery} in arrival order (so pipelined queries are answered in
 * order) and, for {@link UdpQueryHandler}, each datagram with the rate limiter applied; counts
 * every outcome in {@link DnsCounters}. Stateless, shared by every channel. Writes use the
 * void promise (no allocation per answer); a failed write reaches {@link #exceptionCaught},
 * which closes the connection.
 */
@ChannelHandler.Sharable
final class QueryHandler extends SimpleChannelInboundHandler<DnsQuery> {
    private final QueryProcessor processor;
    private final RateLimiter rateLimiter;
    private final ZoneTransfer transfer;
    private final DnsCounters counters;

    QueryHandler(QueryProcessor processor, RateLimiter rateLimiter, ZoneTransfer transfer, DnsCounters counters) {
        this.processor = processor;
        this.rateLimiter = rateLimiter;
        this.transfer = transfer;
        this.counters = counters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
        if (transfer.isTransferRequest(query.wire())) {
            counters.countTransfer();
            transfer.answer(query, reply -> ctx.write(new DnsReply(reply, query.sender()), ctx.voidPromise()));
            return;
        }
        byte[] response = processor.process(query.wire(), true);
        if (response == null) {
            counters.countUnanswered();
            return;
        }
        counters.countAnswer(response, true);
        ctx.write(new DnsReply(response, query.sender()), ctx.voidPromise());
    }

    /**
     * The answer to the UDP query in the first {@code length} bytes of {@code query} from
     * {@code client}, as rate limiting lets it out, in a direct buffer from {@code alloc} (the
     * caller sends and so releases it), or null to send nothing. A current answer in the cache,
     * with rate limiting off, is copied from the cache straight into that buffer and patched
     * there: nothing else is allocated for it.
     */
    ByteBuf answerUdp(byte[] query, int length, InetAddress client, ByteBufAllocator alloc) {
        CachedAnswer hit = rateLimiter.enabled() ? null : processor.cached(query, length, false);
        if (hit != null) {
            int bytes = hit.length();
            ByteBuf out = alloc.directBuffer(bytes);
            hit.writeTo(out.internalNioBuffer(0, bytes), query);
            out.writerIndex(bytes);
            counters.countAnswer(out.getByte(DnsCounters.flagsByte), out.getByte(DnsCounters.rcodeByte), false);
            return out;
        }
        byte[] response = answerUdp(Arrays.copyOf(query, length), client);
        return response == null ? null : alloc.directBuffer(response.length).writeBytes(response);
    }

    /** The answer to a UDP query from {@code client} as rate limiting lets it out, or null to send nothing. */
    private byte[] answerUdp(byte[] wire, InetAddress client) {
        byte[] response = processor.process(wire, false);
        if (response == null) {
            counters.countUnanswered();
            return null;
        }
        byte[] admitted = rateLimiter.admit(client, response);
        if (admitted == null) {
            counters.countRrlDrop();
            return null;
        }
        if (admitted != response) {
            counters.countRrlSlip();
        }
        counters.countAnswer(admitted, false);
        return admitted;
    }

    /** One flush per read batch of pipelined queries. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
