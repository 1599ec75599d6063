package org.paxosdns.dns.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.paxosdns.dns.QueryProcessor;
import org.paxosdns.dns.Responder;
import org.paxosdns.dns.TsigKeyring;
import org.paxosdns.dns.ZoneContent;
import org.paxosdns.dns.ZoneTable;

/**
 * The DNS front end's listeners: UDP and TCP on one port, each query handled by a
 * decoder, the shared {@link QueryHandler} and an encoder. With the native epoll transport
 * (Linux) several UDP sockets share the port with SO_REUSEPORT, one event loop each, so the
 * kernel spreads queries over cores; elsewhere one NIO socket. TCP allows pipelined queries,
 * a bounded number of connections per client and closes idle connections.
 */
public final class DnsServer implements AutoCloseable {
    /** Attempts to find a port free for both UDP and TCP when the OS picks it. */
    static final int bindAttemptsMax = 20;
    /** Netty's wait for the event loops to finish on close. */
    static final int shutdownQuietMs = 0;
    static final int shutdownTimeoutMs = 5_000;
    private static final int lengthPrefixBytes = 2;
    /**
     * Largest UDP query read: larger datagrams are cut and answered FORMERR. Queries are a few
     * hundred bytes even with EDNS options and TSIG; a fixed slot lets epoll read with recvmmsg.
     */
    static final int udpQueryMaxBytes = 4096;
    /**
     * Datagrams read per recvmmsg call (a 512 KiB pooled read buffer with the 4 KiB slots); under
     * load the answers to one read leave in one sendmmsg ({@link UdpQueryHandler} says when).
     * At full load 128 took 3-5% less CPU per query than 32 (bench/README.md, session 5): fewer
     * syscalls, and larger bursts of answers, which wake the client less often. 512 was no
     * better than 128.
     */
    static final int udpReadBatchMax = 128;
    /** Kernel receive buffer per UDP socket: absorbs bursts while the loop is busy. */
    static final int udpReceiveBufferBytes = 4 << 20;

    private final EventLoopGroup udpGroup;
    private final EventLoopGroup tcpGroup;
    private final List<Channel> channels;
    private final int port;
    private final ZoneTable zones;
    private final Notifier notifier;
    private final Consumer<ZoneContent> notifyListener;
    private final DnsCounters counters;

    private DnsServer(EventLoopGroup udpGroup, EventLoopGroup tcpGroup, List<Channel> channels, int port,
                      ZoneTable zones, Notifier notifier, Consumer<ZoneContent> notifyListener, DnsCounters counters) {
        this.udpGroup = udpGroup;
        this.tcpGroup = tcpGroup;
        this.channels = channels;
        this.port = port;
        this.zones = zones;
        this.notifier = notifier;
        this.notifyListener = notifyListener;
        this.counters = counters;
    }

    /**
     * Binds UDP and TCP on {@code cfg.address():cfg.port()} and starts answering from
     * {@code zones}; CHAOS {@code statendx.server} reads {@code stateNdx}.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static DnsServer start(DnsServerConfig cfg, ZoneTable zones, LongSupplier stateNdx)
            throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        int udpSockets = epoll ? cfg.udpSockets() : 1;
        EventLoopGroup udpGroup = epoll ? new EpollEventLoopGroup(udpSockets) : new NioEventLoopGroup(udpSockets);
        EventLoopGroup tcpGroup = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        QueryProcessor processor = new QueryProcessor(new Responder(cfg.responder(), stateNdx), zones,
                cfg.answerCacheEntriesMax(), keyring(cfg.tsigKeys()));
        DnsCounters counters = new DnsCounters();
        QueryHandler handler = new QueryHandler(processor, new RateLimiter(cfg.rrl(), System::nanoTime),
                new ZoneTransfer(zones, cfg.axfrAllowed(), cfg.tsigKeys()), counters);
        TcpConnectionLimiter limiter = new TcpConnectionLimiter(cfg.tcpConnectionsPerClientMax());
        try {
            Listeners listeners = bindBoth(cfg, epoll, udpSockets, udpGroup, tcpGroup, handler, limiter);
            Notifier notifier = new Notifier(cfg.notifyTargets());
            Consumer<ZoneContent> listener = notifier::zoneChanged;
            zones.onNewVersion(listener);
            return new DnsServer(udpGroup, tcpGroup, listeners.channels(), listeners.port(), zones, notifier, listener,
                    counters);
        } catch (RuntimeException | InterruptedException e) {
            udpGroup.shutdownGracefully(shutdownQuietMs, shutdownTimeoutMs, TimeUnit.MILLISECONDS);
            tcpGroup.shutdownGracefully(shutdownQuietMs, shutdownTimeoutMs, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    private static TsigKeyring keyring(List<TsigKey> keys) {
        return new TsigKeyring(keys.stream().map(k -> new TsigKeyring.Key(k.name(), k.algorithm(),
                Base64.getDecoder().decode(k.secretBase64()))).toList(), Clock.systemUTC());
    }

    private record Listeners(List<Channel> channels, int port) { }

    private static Listeners bindBoth(DnsServerConfig cfg, boolean epoll, int udpSockets, EventLoopGroup udpGroup,
                                      EventLoopGroup tcpGroup, QueryHandler handler, TcpConnectionLimiter limiter)
            throws InterruptedException {
        RuntimeException last = null;
        int attempts = cfg.port() == 0 ? bindAttemptsMax : 1;
        for (int attempt = 0; attempt < attempts; attempt++) {
            List<Channel> bound = new ArrayList<>();
            try {
                Bootstrap udp = udpBootstrap(epoll, cfg.address(), udpGroup, handler);
                Channel first = udp.bind(cfg.address(), cfg.port()).sync().channel();
                bound.add(first);
                int port = ((InetSocketAddress) first.localAddress()).getPort();
                for (int i = 1; i < udpSockets; i++) {
                    bound.add(udp.bind(cfg.address(), port).sync().channel());
                }
                bound.add(tcpBootstrap(cfg, epoll, tcpGroup, handler, limiter).bind(cfg.address(), port).sync().channel());
                return new Listeners(List.copyOf(bound), port);
            } catch (InterruptedException e) {
                bound.forEach(Channel::close);
                throw e;
            } catch (Exception e) { // Netty rethrows the bind's IOException unchecked through sync()
                bound.forEach(Channel::close);
                last = new IllegalStateException("cannot bind DNS port " + cfg.address() + ":" + cfg.port(), e);
            }
        }
        throw last;
    }

    private static Bootstrap udpBootstrap(boolean epoll, InetAddress address, EventLoopGroup group, QueryHandler handler) {
        Bootstrap b = new Bootstrap().group(group);
        if (epoll && address instanceof Inet4Address) {
            // An IPv4 socket: Netty's default is a dual-stack IPv6 one, whose send and receive
            // paths cost every datagram the kernel's mapped-address handling.
            b.channelFactory(() -> new EpollDatagramChannel(InternetProtocolFamily.IPv4));
        } else {
            b.channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class);
        }
        b.handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new UdpQueryHandler(handler)); // one per socket: its query buffer
            }
        });
        b.option(ChannelOption.SO_RCVBUF, udpReceiveBufferBytes);
        if (epoll) {
            b.option(EpollChannelOption.SO_REUSEPORT, true)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, udpQueryMaxBytes)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(udpQueryMaxBytes * udpReadBatchMax));
        }
        return b;
    }

    private static ServerBootstrap tcpBootstrap(DnsServerConfig cfg, boolean epoll, EventLoopGroup group,
                                                QueryHandler handler, TcpConnectionLimiter limiter) {
        return new ServerBootstrap().group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        TcpBackpressure.pendingAnswerLowBytes, TcpBackpressure.pendingAnswerHighBytes))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(limiter, new TcpBackpressure(),
                                new IdleStateHandler(0, 0, cfg.tcpIdleMs(), TimeUnit.MILLISECONDS),
                                new IdleCloser(),
                                new LengthFieldBasedFrameDecoder(org.paxosdns.dns.ResponderConfig.messageMaxBytes,
                                        0, lengthPrefixBytes, 0, lengthPrefixBytes),
                                new TcpQueryDecoder(), new TcpReplyEncoder(), handler);
                    }
                });
    }

    /** The port UDP and TCP listen on. */
    public int port() {
        return port;
    }

    /** Answers by rcode and transport, truncations and rate-limited answers since the start. */
    public DnsCounters counters() {
        return counters;
    }

    /** NOTIFY messages acknowledged by secondaries so far. */
    public long notifiesAcknowledged() {
        return notifier.acknowledged();
    }

    /** Stops listening and releases the event loops. */
    @Override
    public void close() {
        zones.removeListener(notifyListener);
        notifier.close();
        channels.forEach(c -> c.close().awaitUninterruptibly());
        udpGroup.shutdownGracefully(shutdownQuietMs, shutdownTimeoutMs, TimeUnit.MILLISECONDS).awaitUninterruptibly();
        tcpGroup.shutdownGracefully(shutdownQuietMs, shutdownTimeoutMs, TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }
}
