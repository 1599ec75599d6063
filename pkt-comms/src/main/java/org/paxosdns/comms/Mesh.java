package org.paxosdns.comms;

import com.google.protobuf.UnsafeByteOperations;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.paxosdns.proto.AppMsg;
import org.paxosdns.proto.SessionMessage;

/**
 * The full mesh of authenticated, encrypted connections between the servers of one roster.
 * Each pair keeps one connection, dialed by the lower index; AppMsgs for a peer wait in two
 * bounded queues (consensus before bulk) and are dropped, never blocking the caller, when the
 * peer is down or the queue is full. See pkt-comms/README.md for the protocol.
 */
public final class Mesh implements AutoCloseable {
    /** Application indices run from 0 to this, exclusive. */
    public static final int APP_NDX_MAX = 256;
    /** Inbound connections that have not finished their handshake, at most, at once. */
    public static final int PENDING_HANDSHAKES_MAX = 64;
    /** Netty starts refusing writes (and the mesh stops packing records) above this many buffered bytes. */
    public static final int WRITE_BUFFER_HIGH_BYTES = 1 << 20;
    public static final int WRITE_BUFFER_LOW_BYTES = 512 * 1024;
    /** Largest single socket read; big reads let most frames sit whole inside one buffer. */
    public static final int READ_BYTES_MAX = 1 << 20;
    /** How long {@link #close()} waits for the event loops to stop. */
    public static final long SHUTDOWN_MS_MAX = 5_000;

    private static final System.Logger LOG = System.getLogger(Mesh.class.getName());

    private final MeshConfig config;
    private final LocalNode local;
    private final Link[] links;
    private final Backoff[] backoffs;
    private final SecureRandom secureRandom = new SecureRandom();
    private final ReplayGuard replayGuard;
    private final HandshakeRateLimiter rateLimiter;
    private final AtomicInteger pendingInbound = new AtomicInteger();
    private final AtomicReferenceArray<AppHandler> handlers = new AtomicReferenceArray<>(APP_NDX_MAX);
    private final List<PeerListener> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder rejectedHandshakes = new LongAdder();
    private final LongAdder sessionErrors = new LongAdder();
    private final LongAdder errorsFromPeers = new LongAdder();
    private final LongAdder unroutable = new LongAdder();
    private final LongAdder keyRenewals = new LongAdder();
    private final EventLoopGroup group;
    private final ChannelGroup channels;
    private final boolean epoll;
    private volatile boolean closing;
    private Channel serverChannel;

    private Mesh(MeshConfig config) {
        this.config = config;
        this.local = LocalNode.of(config.roster(), config.selfIndex(), config.keys());
        try {
            config.keys().checkAgainst(local.entry());
        } catch (org.paxosdns.identity.IdentityException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        int n = config.roster().size();
        this.links = new Link[n];
        this.backoffs = new Backoff[n];
        SplittableRandom jitter = new SplittableRandom(
                config.randomSeed() != null ? config.randomSeed() : secureRandom.nextLong());
        for (int i = 0; i < n; i++) {
            if (i != config.selfIndex()) {
                links[i] = new Link(config.roster().server(i), config);
                backoffs[i] = new Backoff(config.backoffMsInitial(), config.backoffMsMax(), jitter.split());
            }
        }
        this.replayGuard = new ReplayGuard(config.helloSkewMsMax());
        this.rateLimiter = new HandshakeRateLimiter(config.handshakesPerSecondMax(), config.handshakeBurstMax());
        this.epoll = Epoll.isAvailable();
        this.group = epoll ? new EpollEventLoopGroup(config.ioThreads()) : new NioEventLoopGroup(config.ioThreads());
        this.channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    }

    /**
     * Binds the peer port, then dials every higher-indexed peer (the lower index dials).
     * Throws IllegalStateException when the port cannot be bound, IllegalArgumentException when
     * the keys are not the roster's for {@code selfIndex}.
     */
    public static Mesh start(MeshConfig config) throws InterruptedException {
        Mesh mesh = new Mesh(config);
        try {
            mesh.bind();
        } catch (Exception e) { // Netty rethrows a bind failure's IOException undeclared
            mesh.group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IllegalStateException("cannot listen for peers on " + config.listen() + ": " + e.getMessage(), e);
        }
        for (int i = config.selfIndex() + 1; i < config.roster().size(); i++) {
            mesh.dial(mesh.links[i]);
        }
        return mesh;
    }

    /** Routes AppMsgs with {@code appNdx} to {@code handler} (replacing any earlier one). */
    public void register(int appNdx, AppHandler handler) {
        checkAppNdx(appNdx);
        handlers.set(appNdx, handler);
    }

    /**
     * Queues a consensus message for a peer. False when it was dropped (peer down, queue full);
     * drops are counted. The mesh owns {@code contents} from here on: do not modify it.
     */
    public boolean send(int appNdx, int peerIndex, byte[] contents) {
        return enqueue(appNdx, peerIndex, contents, false);
    }

    /**
     * Writes at once what is queued for peers whose connection the calling thread serves. A caller
     * on a mesh event loop that is about to block (a replica forcing its log) calls this first: the
     * messages it just queued for a peer on its own loop would otherwise leave only after the block.
     * Peers served by other threads are left to them (their loops were woken by the send).
     */
    public void sendQueuedNow() {
        for (Link link : links) {
            PeerConnection connection = link == null ? null : link.active();
            if (connection != null) {
                connection.drainIfOnLoop();
            }
        }
    }

    /** Like {@link #send}, on the lower-priority queue meant for blob chunks. */
    public boolean sendBulk(int appNdx, int peerIndex, byte[] contents) {
        return enqueue(appNdx, peerIndex, contents, true);
    }

    public void addPeerListener(PeerListener listener) {
        listeners.add(listener);
    }

    /** True while a confirmed connection to the peer exists. */
    public boolean isUp(int peerIndex) {
        return link(peerIndex).isUp();
    }

    /** True when this node and its up peers make a majority of the roster. */
    public boolean isQuorate() {
        int up = 1;
        for (Link link : links) {
            if (link != null && link.isUp()) {
                up++;
            }
        }
        return up >= config.roster().quorum();
    }

    /** Content bytes waiting in both queues for a peer: lets a bulk sender pace itself. */
    public long queuedBytes(int peerIndex) {
        Link link = link(peerIndex);
        return link.high.bytes() + link.bulk.bytes();
    }

    /**
     * The mesh's event loops, lent to a server port whose work meets the mesh's (the commander port:
     * a write proposed there sends accepts to peers, and a peer's acknowledgement completes its
     * reply): on a shared loop neither needs a hand-off to another thread. The mesh owns them; they
     * stop when it closes, so close the borrowing server first.
     */
    public EventLoopGroup eventLoops() {
        return group;
    }

    /** The bound peer port (useful when the configured port is 0). */
    public int localPort() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public MeshStats stats() {
        List<MeshStats.PeerStats> peers = new ArrayList<>();
        long sent = 0;
        long received = 0;
        long dropped = 0;
        for (Link link : links) {
            if (link == null) {
                continue;
            }
            peers.add(new MeshStats.PeerStats(link.index, link.peer.name(), link.isUp(), link.ups.sum(),
                    link.downs.sum(), link.sent.sum(), link.received.sum(), link.dropped.sum(),
                    link.high.length() + link.bulk.length(), link.high.bytes() + link.bulk.bytes()));
            sent += link.sent.sum();
            received += link.received.sum();
            dropped += link.dropped.sum();
        }
        return new MeshStats(sent, received, dropped, rejectedHandshakes.sum(), sessionErrors.sum(),
                errorsFromPeers.sum(), unroutable.sum(), keyRenewals.sum(), List.copyOf(peers));
    }

    /** Says Bye to every up peer, waits (at most closeWaitMsMax) for their Acks, then closes everything. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        List<Future<Void>> byes = new ArrayList<>();
        for (Link link : links) {
            PeerConnection connection = link == null ? null : link.active();
            if (connection != null) {
                byes.add(connection.sayBye());
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.closeWaitMsMax());
        for (Future<Void> bye : byes) {
            bye.awaitUninterruptibly(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(SHUTDOWN_MS_MAX);
        }
        channels.close().awaitUninterruptibly(SHUTDOWN_MS_MAX);
        group.shutdownGracefully(0, SHUTDOWN_MS_MAX, TimeUnit.MILLISECONDS).awaitUninterruptibly(SHUTDOWN_MS_MAX);
        log(System.Logger.Level.INFO, "mesh closed");
    }

    // ---- for PeerConnection -------------------------------------------------------------

    MeshConfig config() {
        return config;
    }

    LocalNode local() {
        return local;
    }

    SecureRandom secureRandom() {
        return secureRandom;
    }

    ReplayGuard replayGuard() {
        return replayGuard;
    }

    Link link(int index) {
        if (index < 0 || index >= links.length || links[index] == null) {
            throw new IllegalArgumentException("no peer with index " + index);
        }
        return links[index];
    }

    /** Admits an inbound connection if its source is within its rate and few handshakes are pending. */
    boolean admitInbound(InetAddress source) {
        if (!rateLimiter.tryAcquire(source, System.nanoTime())) {
            return false;
        }
        if (pendingInbound.incrementAndGet() > PENDING_HANDSHAKES_MAX) {
            pendingInbound.decrementAndGet();
            return false;
        }
        return true;
    }

    boolean isClosing() {
        return closing;
    }

    void releaseInbound() {
        pendingInbound.decrementAndGet();
    }

    void established(Link link, PeerConnection connection) {
        backoffs[link.index].reset();
        PeerConnection old;
        synchronized (link) { // listeners of one peer see up and down strictly alternate
            old = link.install(connection);
            if (old == null) {
                log(System.Logger.Level.INFO, "peer " + link.peer.name() + " up");
                notifyListeners(link.index, true);
            }
        }
        if (old != null) {
            log(System.Logger.Level.INFO, "peer " + link.peer.name() + ": new connection replaces the old one");
            old.closeReplaced();
        }
    }

    void detached(Link link, PeerConnection connection) {
        synchronized (link) {
            if (link.detach(connection)) {
                log(System.Logger.Level.INFO, "peer " + link.peer.name() + " down");
                notifyListeners(link.index, false);
            }
        }
    }

    private void notifyListeners(int index, boolean up) {
        for (PeerListener listener : listeners) {
            try {
                if (up) {
                    listener.peerUp(index);
                } else {
                    listener.peerDown(index);
                }
            } catch (RuntimeException e) {
                log(System.Logger.Level.WARNING, "peer listener failed: " + e);
            }
        }
    }

    /** A dialed connection ended (refused, failed or closed): dial again after a backoff. */
    void connectionGone(PeerConnection connection) {
        if (connection.isDialer()) {
            scheduleDial(connection.link());
        }
    }

    /** Hands the message to its application's handler; returns the handler, or null when there is none. */
    AppHandler deliver(int fromIndex, AppMsg message) {
        int appNdx = message.getAppNdx();
        AppHandler handler = appNdx < APP_NDX_MAX ? handlers.get(appNdx) : null;
        if (handler == null) {
            unroutable.increment();
            return null;
        }
        try {
            handler.onMessage(fromIndex, message.getContents().toByteArray());
        } catch (RuntimeException e) {
            log(System.Logger.Level.WARNING, "handler of appNdx " + appNdx + " failed: " + e);
        }
        return handler;
    }

    /** Tells handlers that got messages from one socket read that the read is over. */
    void readComplete(List<AppHandler> delivered) {
        for (AppHandler handler : delivered) {
            try {
                handler.onReadComplete();
            } catch (RuntimeException e) {
                log(System.Logger.Level.WARNING, "handler failed after a read: " + e);
            }
        }
    }

    void protocolFailure(boolean sessionWasConfirmed) {
        (sessionWasConfirmed ? sessionErrors : rejectedHandshakes).increment();
    }

    void keysRenewed(long count) {
        keyRenewals.add(count);
    }

    void peerSentError() {
        errorsFromPeers.increment();
    }

    void log(System.Logger.Level level, String message) {
        LOG.log(level, () -> local.entry().name() + ": " + message);
    }

    // ---- sockets -------------------------------------------------------------------------

    private void bind() throws InterruptedException {
        Class<? extends ServerChannel> serverClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(serverClass)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, readSizes())
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(WRITE_BUFFER_LOW_BYTES, WRITE_BUFFER_HIGH_BYTES))
                .childHandler(initializer(null));
        serverChannel = bootstrap.bind(config.listen()).sync().channel();
        log(System.Logger.Level.INFO, "listening for peers on " + serverChannel.localAddress()
                + (epoll ? " (epoll)" : " (nio)"));
    }

    private void scheduleDial(Link link) {
        if (closing) {
            return;
        }
        long delayMs = backoffs[link.index].nextDelayMs();
        try {
            group.schedule(() -> dial(link), delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the event loops are shutting down: no more dialing
        }
    }

    private void dial(Link link) {
        if (closing) {
            return;
        }
        Class<? extends Channel> channelClass = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        new Bootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, readSizes())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.handshakeMsMax()))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(WRITE_BUFFER_LOW_BYTES, WRITE_BUFFER_HIGH_BYTES))
                .handler(initializer(link))
                .connect(config.dialAddress(link.index))
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        log(System.Logger.Level.DEBUG, "dial " + link.peer.name() + " failed: " + f.cause());
                        scheduleDial(link);
                    }
                });
    }

    private static AdaptiveRecvByteBufAllocator readSizes() {
        return new AdaptiveRecvByteBufAllocator(64, 64 * 1024, READ_BYTES_MAX);
    }

    private ChannelInitializer<SocketChannel> initializer(Link dialedLink) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                if (closing) {
                    channel.close();
                    return;
                }
                channels.add(channel);
                FrameDecoder decoder = new FrameDecoder();
                channel.pipeline().addLast(decoder, new PeerConnection(Mesh.this, decoder, dialedLink));
            }
        };
    }

    private boolean enqueue(int appNdx, int peerIndex, byte[] contents, boolean bulk) {
        checkAppNdx(appNdx);
        if (contents.length > WireFormat.APP_CONTENTS_BYTES_MAX) {
            throw new IllegalArgumentException("AppMsg of " + contents.length + " bytes exceeds "
                    + WireFormat.APP_CONTENTS_BYTES_MAX);
        }
        SessionMessage message = SessionMessage.newBuilder()
                .setAppMsg(AppMsg.newBuilder().setAppNdx(appNdx).setContents(UnsafeByteOperations.unsafeWrap(contents)))
                .build();
        return link(peerIndex).offer(message, contents.length, bulk);
    }

    private static void checkAppNdx(int appNdx) {
        if (appNdx < 0 || appNdx >= APP_NDX_MAX) {
            throw new IllegalArgumentException("appNdx " + appNdx + " outside 0.." + (APP_NDX_MAX - 1));
        }
    }
}
