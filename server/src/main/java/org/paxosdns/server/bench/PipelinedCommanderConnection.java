package org.paxosdns.server.bench;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.paxosdns.proto.CommanderRequest;
import org.paxosdns.proto.CommanderResponse;
import org.paxosdns.server.commander.CommanderClient;

/**
 * A commander-port connection with many requests in flight (the port matches responses to
 * requests by request_id): senders write from any thread, one reader thread completes the
 * futures. For load generators; a lost connection fails every request still in flight.
 */
final class PipelinedCommanderConnection implements AutoCloseable {
    /** How long a connection attempt may take, in milliseconds. */
    static final int CONNECT_TIMEOUT_MS = 2_000;

    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final ConcurrentHashMap<Long, CompletableFuture<CommanderResponse>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    private PipelinedCommanderConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
        this.in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024));
        Thread reader = new Thread(this::readResponses, "bench-reader-" + socket.getLocalPort());
        reader.setDaemon(true);
        reader.start();
    }

    static PipelinedCommanderConnection connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, CONNECT_TIMEOUT_MS);
            return new PipelinedCommanderConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one request; the future completes with its response or fails when the connection is lost. */
    CompletableFuture<CommanderResponse> send(CommanderRequest.Builder request) {
        long id = nextId.getAndIncrement();
        CompletableFuture<CommanderResponse> response = new CompletableFuture<>();
        waiting.put(id, response);
        byte[] bytes = request.setFormatVersion(1).setRequestId(id).build().toByteArray();
        try {
            synchronized (out) {
                out.writeInt(bytes.length);
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            waiting.remove(id);
            response.completeExceptionally(e);
        }
        return response;
    }

    private void readResponses() {
        try {
            while (true) {
                int length = in.readInt();
                if (length < 0 || length > CommanderClient.RESPONSE_BYTES_MAX) {
                    throw new IOException("response frame of " + length + " bytes");
                }
                CommanderResponse response = CommanderResponse.parseFrom(in.readNBytes(length));
                CompletableFuture<CommanderResponse> future = waiting.remove(response.getRequestId());
                if (future != null) {
                    future.complete(response);
                }
            }
        } catch (IOException e) {
            waiting.values().forEach(f -> f.completeExceptionally(e));
            waiting.clear();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
