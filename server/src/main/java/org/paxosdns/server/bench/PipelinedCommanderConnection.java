package org.paxosdns.server.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
 * futures. For load generators; a lost connection fails every request still in flight. Writes
 * are combined: a sender that finds another thread writing leaves its frame in the pending buffer
 * for that thread, so many concurrent senders cost one system call, not one each (the load
 * generator shares the machine's cores with the cluster it measures).
 */
final class PipelinedCommanderConnection implements AutoCloseable {
    /** How long a connection attempt may take, in milliseconds. */
    static final int CONNECT_TIMEOUT_MS = 2_000;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final ByteArrayOutputStream pendingBytes = new ByteArrayOutputStream(64 * 1024);
    private final DataOutputStream pending = new DataOutputStream(pendingBytes);
    private boolean writing;
    private final ConcurrentHashMap<Long, CompletableFuture<CommanderResponse>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    private PipelinedCommanderConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
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
            synchronized (pending) {
                pending.writeInt(bytes.length);
                pending.write(bytes);
                if (writing) {
                    return response;
                }
                writing = true;
            }
            writePending();
        } catch (IOException e) {
            waiting.remove(id);
            response.completeExceptionally(e);
            closeQuietly(); // the reader fails every other request in flight
        }
        return response;
    }

    /** Writes what is pending, including what other senders add meanwhile, until nothing is. */
    private void writePending() throws IOException {
        while (true) {
            byte[] chunk;
            synchronized (pending) {
                if (pendingBytes.size() == 0) {
                    writing = false;
                    return;
                }
                chunk = pendingBytes.toByteArray();
                pendingBytes.reset();
            }
            try {
                out.write(chunk);
            } catch (IOException e) {
                synchronized (pending) {
                    writing = false;
                }
                throw e;
            }
        }
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException e) {
            // already failing: the reader reports the loss
        }
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
