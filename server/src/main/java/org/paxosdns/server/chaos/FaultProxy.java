package org.paxosdns.server.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fault-injecting TCP proxy for one link between two nodes: the dialer connects to the proxy,
 * which connects on to the listener. Each direction may pass, be black-holed (bytes read and
 * dropped, as a one-way cut looks to TCP) or be delayed; {@link #cut} closes every connection
 * and refuses new ones, as a partition does.
 */
public final class FaultProxy implements AutoCloseable {
    /** Size of one forwarding read, in bytes. */
    public static final int CHUNK_BYTES = 64 * 1024;
    /** Most connections held through one proxy at once. */
    public static final int CONNECTIONS_MAX = 16;

    /** One direction of the link. */
    public enum Direction { DIALER_TO_LISTENER, LISTENER_TO_DIALER }

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean cut;
    private volatile boolean blackholeForward;
    private volatile boolean blackholeBackward;
    private volatile long delayMs;
    private final AtomicLong droppedBytes = new AtomicLong();
    private volatile boolean closed;

    private FaultProxy(InetSocketAddress target, ServerSocket server) {
        this.target = target;
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "proxy-" + server.getLocalPort() + "->" + target.getPort());
        this.acceptor.setDaemon(true);
    }

    /** Listens on an OS-chosen loopback port and forwards to {@code target}. */
    public static FaultProxy start(InetSocketAddress target) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        FaultProxy proxy = new FaultProxy(target, server);
        proxy.acceptor.start();
        return proxy;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** Drops or restores one direction's bytes without closing anything. */
    public void blackhole(Direction direction, boolean on) {
        if (direction == Direction.DIALER_TO_LISTENER) {
            blackholeForward = on;
        } else {
            blackholeBackward = on;
        }
    }

    /** Delays every chunk in both directions by {@code ms} milliseconds (0 for none). */
    public void delay(long ms) {
        delayMs = Math.max(0, ms);
    }

    /** Closes every connection and refuses new ones until {@link #heal}. */
    public void cut() {
        cut = true;
        closeAll();
    }

    /** Ends every fault: traffic passes again, new connections are accepted. */
    public void heal() {
        cut = false;
        blackholeForward = false;
        blackholeBackward = false;
        delayMs = 0;
    }

    public long droppedBytes() {
        return droppedBytes.get();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing: nothing to report
        }
        closeAll();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket dialer = server.accept();
                if (cut || sockets.size() >= 2 * CONNECTIONS_MAX) {
                    dialer.close();
                    continue;
                }
                Socket listener = new Socket();
                try {
                    listener.connect(target, 2_000);
                } catch (IOException e) {
                    dialer.close();
                    listener.close();
                    continue;
                }
                sockets.add(dialer);
                sockets.add(listener);
                pump(dialer, listener, Direction.DIALER_TO_LISTENER);
                pump(listener, dialer, Direction.LISTENER_TO_DIALER);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, Direction direction) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[CHUNK_BYTES];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    boolean dropped = direction == Direction.DIALER_TO_LISTENER ? blackholeForward : blackholeBackward;
                    if (dropped) {
                        droppedBytes.addAndGet(n);
                        continue;
                    }
                    long delay = delayMs;
                    if (delay > 0) {
                        Thread.sleep(delay);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException ignored) {
                // either side closed, or the link was cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "pump-" + direction);
        t.setDaemon(true);
        t.start();
    }

    private void closeAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    private void closeQuietly(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
