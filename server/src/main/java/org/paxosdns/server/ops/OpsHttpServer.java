package org.paxosdns.server.ops;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import org.paxosdns.server.NettyServers;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The ops HTTP endpoint: {@code /v1/state}, {@code /v1/zones}, {@code /v1/zones/{fqdn}},
 * {@code /metrics} and {@code /healthz}. Read-only; anyone may ask.
 */
public final class OpsHttpServer implements AutoCloseable {
    /** Largest request accepted, in bytes: every valid request is a short GET. */
    public static final int REQUEST_BYTES_MAX = 8 * 1024;
    /** A connection silent this long is closed, in seconds. */
    public static final int IDLE_SECONDS_MAX = 30;

    private final NettyServers listener;

    private OpsHttpServer(NettyServers listener) {
        this.listener = listener;
    }

    /** Binds the endpoint (port 0 for an OS-chosen one). */
    public static OpsHttpServer start(InetSocketAddress address, OpsSource source) throws InterruptedException {
        return new OpsHttpServer(NettyServers.bind(address, ch -> ch.pipeline().addLast(
                new ReadTimeoutHandler(IDLE_SECONDS_MAX, TimeUnit.SECONDS),
                new HttpServerCodec(), new HttpObjectAggregator(REQUEST_BYTES_MAX), new Handler(source))));
    }

    public int port() {
        return listener.port();
    }

    @Override
    public void close() {
        listener.close();
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final OpsSource source;

        Handler(OpsSource source) {
            this.source = source;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse response = request.decoderResult().isSuccess()
                    ? route(request) : text(HttpResponseStatus.BAD_REQUEST, "bad request\n", "text/plain");
            boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
            HttpUtil.setKeepAlive(response, keepAlive);
            var future = ctx.writeAndFlush(response);
            if (!keepAlive) {
                future.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private FullHttpResponse route(FullHttpRequest request) {
            if (!request.method().equals(HttpMethod.GET)) {
                return text(HttpResponseStatus.METHOD_NOT_ALLOWED, OpsJson.error("only GET"), "application/json");
            }
            String path = new QueryStringDecoder(request.uri()).path();
            if (path.equals("/v1/state")) {
                return json(OpsJson.state(source.status()));
            }
            if (path.equals("/v1/zones")) {
                return json(OpsJson.zones(source.zones()));
            }
            if (path.startsWith("/v1/zones/")) {
                return zone(path.substring("/v1/zones/".length()));
            }
            if (path.equals("/metrics")) {
                return text(HttpResponseStatus.OK, source.metrics().render(), "text/plain; version=0.0.4");
            }
            if (path.equals("/healthz")) {
                boolean healthy = source.status().healthy();
                return text(healthy ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        healthy ? "ok\n" : "unavailable\n", "text/plain");
            }
            return text(HttpResponseStatus.NOT_FOUND, OpsJson.error("no such path: " + path), "application/json");
        }

        private FullHttpResponse zone(String name) {
            String fqdn;
            try {
                fqdn = org.paxosdns.identity.ZoneNames.normalize(name);
            } catch (IllegalArgumentException e) {
                return text(HttpResponseStatus.BAD_REQUEST, OpsJson.error(e.getMessage()), "application/json");
            }
            Optional<ZoneInfo> zone = source.zone(fqdn);
            return zone.map(z -> json(OpsJson.zone(z)))
                    .orElseGet(() -> text(HttpResponseStatus.NOT_FOUND, OpsJson.error("no zone " + fqdn), "application/json"));
        }

        private static FullHttpResponse json(String body) {
            return text(HttpResponseStatus.OK, body, "application/json");
        }

        private static FullHttpResponse text(HttpResponseStatus status, String body, String type) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
            return response;
        }
    }
}
