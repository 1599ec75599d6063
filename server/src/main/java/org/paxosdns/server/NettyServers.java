package org.paxosdns.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A small TCP listener for the server's ports (commander, ops): binds, hands each connection's
 * pipeline to {@code pipeline}, closes on close. It runs on an event-loop thread of its own, or on
 * event loops it borrows (then it leaves them running when it closes).
 */
public final class NettyServers implements AutoCloseable {
    private final EventLoopGroup ownGroup;
    private final Channel channel;

    private NettyServers(EventLoopGroup ownGroup, Channel channel) {
        this.ownGroup = ownGroup;
        this.channel = channel;
    }

    /** Binds {@code address} (port 0 for an OS-chosen one) on an event-loop thread of its own. */
    public static NettyServers bind(InetSocketAddress address, Consumer<SocketChannel> pipeline) throws InterruptedException {
        EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            return new NettyServers(group, listen(group, address, pipeline));
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /**
     * Binds {@code address} on borrowed event loops (epoll or NIO, whichever they are), which keep
     * running after {@link #close()}: their owner stops them.
     */
    public static NettyServers bindOn(EventLoopGroup borrowed, InetSocketAddress address, Consumer<SocketChannel> pipeline)
            throws InterruptedException {
        return new NettyServers(null, listen(borrowed, address, pipeline));
    }

    private static Channel listen(EventLoopGroup group, InetSocketAddress address, Consumer<SocketChannel> pipeline)
            throws InterruptedException {
        Class<? extends ServerChannel> serverClass = group instanceof EpollEventLoopGroup
                ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        return new ServerBootstrap().group(group).channel(serverClass)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline.accept(ch);
                    }
                }).bind(address).sync().channel();
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
