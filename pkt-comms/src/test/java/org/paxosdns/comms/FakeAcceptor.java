package org.paxosdns.comms;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.paxosdns.proto.PeerFrame;

/**
 * Plays a higher-indexed node that a real mesh dials: accepts one connection at a time and
 * exchanges frames by hand over blocking sockets.
 */
final class FakeAcceptor implements AutoCloseable {
    private static final int READ_TIMEOUT_MS = 30_000;

    private final ServerSocket server;
    private Socket socket;
    private DataInputStream in;
    private DataOutputStream out;

    FakeAcceptor() throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setSoTimeout(READ_TIMEOUT_MS);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    /** Waits for the next dial and closes the previous connection. */
    void accept() throws IOException {
        if (socket != null) {
            socket.close();
        }
        socket = server.accept();
        socket.setSoTimeout(READ_TIMEOUT_MS);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    PeerFrame read() throws IOException {
        try {
            int length = in.readInt();
            byte[] body = new byte[length];
            in.readFully(body);
            return PeerFrame.parseFrom(body);
        } catch (java.io.EOFException e) {
            return null;
        }
    }

    void send(PeerFrame frame) throws IOException {
        byte[] bytes = frame.toByteArray();
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
        server.close();
    }
}
