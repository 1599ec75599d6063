package org.paxosdns.server.commander;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.paxosdns.proto.CommanderRequest;
import org.paxosdns.proto.CommanderResponse;

final class CommanderServerTest {
    private CommanderServer server;

    @BeforeEach
    void start() throws InterruptedException {
        server = CommanderServer.start(new InetSocketAddress("127.0.0.1", 0), request -> CompletableFuture.completedFuture(
                CommanderResponse.newBuilder().setFormatVersion(1).setRequestId(request.getRequestId())
                        .setCommandReply(request.getSignedCommand()).build()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.port());
    }

    @Test
    void requestsAreAnsweredInOrderOnOneConnection() throws Exception {
        try (CommanderClient client = CommanderClient.connect(address(), 2_000)) {
            for (int i = 0; i < 3; i++) {
                CommanderResponse r = client.call(CommanderRequest.newBuilder().setSignedCommand(ByteString.copyFromUtf8("c" + i)), 5_000);
                assertEquals("c" + i, r.getCommandReply().toStringUtf8());
            }
        }
    }

    private static CommanderResponse rawExchange(Socket s, int length, byte[] body) throws Exception {
        s.setSoTimeout(5_000);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(length);
        out.write(body);
        out.flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] frame = in.readNBytes(in.readInt());
        return CommanderResponse.parseFrom(frame);
    }

    @Test
    void garbageGetsAnErrorAndTheConnectionCloses() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(address(), 2_000);
            byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
            CommanderResponse r = rawExchange(s, garbage.length, garbage);
            assertTrue(r.hasError());
            assertFalse(r.getError().getRetryable());
            assertTrue(r.getError().getMessage().startsWith("malformed request"), r.getError().getMessage());
            assertEquals(-1, s.getInputStream().read(), "closed after the error");
        }
        requestsAreAnsweredInOrderOnOneConnection(); // the server still serves others
    }

    @Test
    void oversizedFrameGetsAnErrorWithoutReadingIt() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(address(), 2_000);
            CommanderResponse r = rawExchange(s, CommanderServer.FRAME_BYTES_MAX + 1, new byte[16]);
            assertTrue(r.hasError());
            assertTrue(r.getError().getMessage().contains("bad frame"), r.getError().getMessage());
        }
    }

    @Test
    void unknownFormatVersionIsRefused() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(address(), 2_000);
            byte[] body = CommanderRequest.newBuilder().setFormatVersion(2).setRequestId(9).build().toByteArray();
            CommanderResponse r = rawExchange(s, body.length, body);
            assertEquals(9, r.getRequestId());
            assertTrue(r.getError().getMessage().contains("format version 2"), r.getError().getMessage());
        }
    }

    @Test
    void onBorrowedEpollLoopsItServesAndLeavesThemRunningWhenClosed() throws Exception {
        EventLoopGroup loops = Epoll.isAvailable() ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        try {
            CommanderServer borrowing = CommanderServer.start(new InetSocketAddress("127.0.0.1", 0),
                    request -> CompletableFuture.completedFuture(CommanderResponse.newBuilder().setFormatVersion(1)
                            .setRequestId(request.getRequestId()).setCommandReply(request.getSignedCommand()).build()),
                    loops);
            try (CommanderClient client = CommanderClient.connect(new InetSocketAddress("127.0.0.1", borrowing.port()), 2_000)) {
                CommanderResponse r = client.call(CommanderRequest.newBuilder().setSignedCommand(ByteString.copyFromUtf8("x")), 5_000);
                assertEquals("x", r.getCommandReply().toStringUtf8());
            } finally {
                borrowing.close();
            }
            assertFalse(loops.isShuttingDown(), "the lender's loops keep running");
            assertTrue(loops.submit(() -> true).get(5, TimeUnit.SECONDS));
        } finally {
            loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        }
    }
}
