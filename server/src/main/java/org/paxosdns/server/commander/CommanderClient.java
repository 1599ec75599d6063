package org.paxosdns.server.commander;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.paxosdns.proto.CommanderRequest;
import org.paxosdns.proto.CommanderResponse;

/** A blocking client of one server's commander port: one request at a time, each with a deadline. */
public final class CommanderClient implements AutoCloseable {
    /** Largest response frame accepted, in bytes. */
    public static final int RESPONSE_BYTES_MAX = 1024 * 1024;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private long nextRequestId = 1;

    private CommanderClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
    }

    /** Connects within {@code timeoutMs}. */
    public static CommanderClient connect(InetSocketAddress address, int timeoutMs) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, timeoutMs);
            return new CommanderClient(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one request and waits at most {@code timeoutMs} for its response. */
    public CommanderResponse call(CommanderRequest.Builder request, int timeoutMs) throws IOException {
        long id = nextRequestId++;
        byte[] bytes = request.setFormatVersion(1).setRequestId(id).build().toByteArray();
        socket.setSoTimeout(timeoutMs);
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
        while (true) {
            int length = in.readInt();
            if (length < 0 || length > RESPONSE_BYTES_MAX) {
                throw new IOException("response frame of " + length + " bytes (limit " + RESPONSE_BYTES_MAX + ")");
            }
            byte[] frame = in.readNBytes(length);
            if (frame.length != length) {
                throw new IOException("connection closed inside a response");
            }
            CommanderResponse response = CommanderResponse.parseFrom(frame);
            if (response.getRequestId() == id || response.getRequestId() == 0) {
                return response;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
