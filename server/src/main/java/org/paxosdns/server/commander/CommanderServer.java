package org.paxosdns.server.commander;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.paxosdns.proto.CommanderRequest;
import org.paxosdns.server.NettyServers;
import org.paxosdns.proto.CommanderResponse;
import org.paxosdns.proto.RequestError;

/**
 * The commander port: length-prefixed {@link CommanderRequest} frames in, one
 * {@link CommanderResponse} per request out. Frames, connections per client address and
 * requests in flight per connection are bounded; a malformed frame gets an error response
 * and closes the connection.
 */
public final class CommanderServer implements AutoCloseable {
    /** Largest request frame, in bytes: a zone blob at its limit plus signatures and framing. */
    public static final int FRAME_BYTES_MAX = (int) org.paxosdns.zonestore.blob.BlobStoreLimits.BLOB_BYTES_MAX + 64 * 1024;
    /** Most connections one client address may hold open. */
    public static final int CONNECTIONS_PER_CLIENT_MAX = 64;
    /** Most requests one connection may have in flight; reading pauses beyond it. */
    public static final int IN_FLIGHT_PER_CONNECTION_MAX = 256;
    /** A connection silent this long is closed, in seconds. */
    public static final int IDLE_SECONDS_MAX = 120;

    private final NettyServers listener;

    private CommanderServer(NettyServers listener) {
        this.listener = listener;
    }

    /** Binds the commander port (port 0 for an OS-chosen one) on an event-loop thread of its own. */
    public static CommanderServer start(InetSocketAddress address, CommanderService service) throws InterruptedException {
        return new CommanderServer(NettyServers.bind(address, pipeline(service)));
    }

    /**
     * Binds the commander port on borrowed event loops: the node passes the mesh's, so a reply that
     * a peer's message completes (the write applied on the mesh's loop) is written without waking
     * another thread when the connection shares that loop, and a proposal made here sends its
     * accepts to the peer on the same loop before the leader's own force.
     */
    public static CommanderServer start(InetSocketAddress address, CommanderService service, EventLoopGroup loops)
            throws InterruptedException {
        return new CommanderServer(NettyServers.bindOn(loops, address, pipeline(service)));
    }

    private static Consumer<SocketChannel> pipeline(CommanderService service) {
        ConcurrentHashMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
        return ch -> ch.pipeline().addLast(
                new IdleStateHandler(0, 0, IDLE_SECONDS_MAX, TimeUnit.SECONDS),
                new LengthFieldBasedFrameDecoder(FRAME_BYTES_MAX, 0, 4, 0, 4),
                new LengthFieldPrepender(4),
                new Handler(service, perClient));
    }

    public int port() {
        return listener.port();
    }

    @Override
    public void close() {
        listener.close();
    }

    private static final class Handler extends SimpleChannelInboundHandler<ByteBuf> {
        private final CommanderService service;
        private final ConcurrentHashMap<InetAddress, AtomicInteger> perClient;
        private InetAddress client;
        private int inFlight;
        private boolean flushScheduled;

        Handler(CommanderService service, ConcurrentHashMap<InetAddress, AtomicInteger> perClient) {
            this.service = service;
            this.perClient = perClient;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
            int open = perClient.computeIfAbsent(client, k -> new AtomicInteger()).incrementAndGet();
            if (open > CONNECTIONS_PER_CLIENT_MAX) {
                reply(ctx, error(0, false, "too many connections from " + client.getHostAddress()
                        + " (limit " + CONNECTIONS_PER_CLIENT_MAX + ")")).addListener(f -> ctx.close());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            perClient.computeIfPresent(client, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            CommanderRequest request;
            try {
                request = CommanderRequest.parseFrom(ByteBufUtil.getBytes(frame));
            } catch (InvalidProtocolBufferException e) {
                reply(ctx, error(0, false, "malformed request: " + e.getMessage())).addListener(f -> ctx.close());
                return;
            }
            if (request.getFormatVersion() != 1) {
                reply(ctx, error(request.getRequestId(), false,
                        "request format version " + request.getFormatVersion() + " is not supported (expected 1)"));
                return;
            }
            if (++inFlight >= IN_FLIGHT_PER_CONNECTION_MAX) {
                ctx.channel().config().setAutoRead(false);
            }
            service.handle(request).whenComplete((response, failure) -> ctx.executor().execute(() -> {
                CommanderResponse out = failure == null ? response
                        : error(request.getRequestId(), true, "internal error: " + failure);
                ctx.write(Unpooled.wrappedBuffer(out.toByteArray()));
                scheduleFlush(ctx);
                if (--inFlight < IN_FLIGHT_PER_CONNECTION_MAX) {
                    ctx.channel().config().setAutoRead(true);
                }
            }));
        }

        /**
         * One flush (one write syscall) for all the replies the event loop writes in one round: a
         * batch of commands applied together completes many replies at once, and flushing each
         * alone cost a system call and a wake-up of the client per reply. Runs on the event loop;
         * the flush task queues behind the reply tasks already queued, so it sends them all.
         */
        private void scheduleFlush(ChannelHandlerContext ctx) {
            if (!flushScheduled) {
                flushScheduled = true;
                ctx.executor().execute(() -> {
                    flushScheduled = false;
                    ctx.flush();
                });
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // TooLongFrameException and I/O errors: tell the client if the channel still takes writes, then close.
            if (ctx.channel().isActive()) {
                reply(ctx, error(0, false, "bad frame: " + cause.getMessage())).addListener(f -> ctx.close());
            }
        }

        private static io.netty.channel.ChannelFuture reply(ChannelHandlerContext ctx, CommanderResponse response) {
            return ctx.writeAndFlush(Unpooled.wrappedBuffer(response.toByteArray()));
        }
    }

    /** An error response for request {@code id}. */
    public static CommanderResponse error(long id, boolean retryable, String message) {
        return CommanderResponse.newBuilder().setFormatVersion(1).setRequestId(id)
                .setError(RequestError.newBuilder().setRetryable(retryable).setMessage(message)).build();
    }
}
