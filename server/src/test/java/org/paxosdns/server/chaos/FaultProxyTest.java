package org.paxosdns.server.chaos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.paxosdns.server.process.LocalCluster;

final class FaultProxyTest {
    private ServerSocket echo;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread pump = new Thread(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException ignored) {
                            // client went away
                        }
                    });
                    pump.setDaemon(true);
                    pump.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        proxy = FaultProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()));
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private Socket dial() throws IOException {
        Socket s = new Socket();
        s.connect(proxy.address(), 2_000);
        s.setSoTimeout(5_000);
        return s;
    }

    private static byte[] roundTrip(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes());
        return s.getInputStream().readNBytes(text.length());
    }

    @Test
    void passesBytesBothWays() throws IOException {
        try (Socket s = dial()) {
            assertArrayEquals("hello".getBytes(), roundTrip(s, "hello"));
        }
    }

    @Test
    void blackholedDirectionDropsBytesUntilHealed() throws IOException, InterruptedException {
        try (Socket s = dial()) {
            assertArrayEquals("a".getBytes(), roundTrip(s, "a"));
            proxy.blackhole(FaultProxy.Direction.DIALER_TO_LISTENER, true);
            s.getOutputStream().write("lost".getBytes());
            s.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
            assertTrue(LocalCluster.await(5_000, () -> proxy.droppedBytes() == 4), "dropped bytes are counted");
            proxy.heal();
            s.setSoTimeout(5_000);
            assertArrayEquals("b".getBytes(), roundTrip(s, "b"));
        }
    }

    @Test
    void cutClosesConnectionsAndRefusesNewOnesUntilHealed() throws IOException {
        Socket s = dial();
        assertArrayEquals("a".getBytes(), roundTrip(s, "a"));
        proxy.cut();
        InputStream in = s.getInputStream();
        assertEquals(-1, in.read(), "the cut closes the connection");
        s.close();
        try (Socket refused = dial()) {
            assertEquals(-1, refused.getInputStream().read(), "a new connection is closed at once");
        }
        proxy.heal();
        try (Socket again = dial()) {
            assertArrayEquals("c".getBytes(), roundTrip(again, "c"));
        }
    }
}
