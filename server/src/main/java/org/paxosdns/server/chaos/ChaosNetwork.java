package org.paxosdns.server.chaos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * One {@link FaultProxy} per pair of nodes, on the way from the dialer (the lower index, as the
 * mesh dials) to the listener's peer port. Faults are named by node indexes and directions; the
 * network maps them onto the right proxy and direction.
 */
public final class ChaosNetwork implements AutoCloseable {
    private final int nodes;
    private final Map<Long, FaultProxy> proxies = new HashMap<>();

    private ChaosNetwork(int nodes) {
        this.nodes = nodes;
    }

    /** Starts a proxy for every pair, each forwarding to {@code peerAddress.apply(higher index)}. */
    public static ChaosNetwork start(int nodes, IntFunction<InetSocketAddress> peerAddress) throws IOException {
        ChaosNetwork network = new ChaosNetwork(nodes);
        try {
            for (int a = 0; a < nodes; a++) {
                for (int b = a + 1; b < nodes; b++) {
                    network.proxies.put(pair(a, b), FaultProxy.start(peerAddress.apply(b)));
                }
            }
        } catch (IOException e) {
            network.close();
            throw e;
        }
        return network;
    }

    /** Where {@code dialer} should dial {@code listener} (dialer's index is the lower). */
    public InetSocketAddress dialAddress(int dialer, int listener) {
        return proxy(dialer, listener).address();
    }

    public void cut(int a, int b) {
        proxy(a, b).cut();
    }

    /** Drops or restores what {@code from} sends to {@code to}. */
    public void blackhole(int from, int to, boolean on) {
        proxy(from, to).blackhole(from < to ? FaultProxy.Direction.DIALER_TO_LISTENER : FaultProxy.Direction.LISTENER_TO_DIALER, on);
    }

    public void delay(int a, int b, long ms) {
        proxy(a, b).delay(ms);
    }

    public void heal(int a, int b) {
        proxy(a, b).heal();
    }

    public void healAll() {
        proxies.values().forEach(FaultProxy::heal);
    }

    public int nodes() {
        return nodes;
    }

    private FaultProxy proxy(int a, int b) {
        FaultProxy p = proxies.get(pair(Math.min(a, b), Math.max(a, b)));
        if (p == null) {
            throw new IllegalArgumentException("no link between " + a + " and " + b);
        }
        return p;
    }

    private static long pair(int low, int high) {
        return ((long) low << 32) | high;
    }

    @Override
    public void close() {
        proxies.values().forEach(FaultProxy::close);
    }
}
