package org.paxosdns.dns.net;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes a new TCP connection at once when its client address already has
 * {@code connectionsPerClientMax} open ones, so one client cannot exhaust the server's sockets.
 */
@ChannelHandler.Sharable
final class TcpConnectionLimiter extends ChannelInboundHandlerAdapter {
    private final int connectionsPerClientMax;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

    TcpConnectionLimiter(int connectionsPerClientMax) {
        this.connectionsPerClientMax = connectionsPerClientMax;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        int count = open.merge(client, 1, Integer::sum);
        ctx.channel().closeFuture().addListener(f -> open.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1));
        if (count > connectionsPerClientMax) {
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }
}
