package org.paxosdns.dns.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.paxosdns.dns.QueryProcessor;
import org.paxosdns.dns.ResponderConfig;

/**
 * How the DNS front end listens and what it allows.
 *
 * @param address the address UDP and TCP bind to
 * @param port the port both bind to (0: one chosen by the OS, the same for both)
 * @param udpSockets UDP sockets sharing the port with SO_REUSEPORT (epoll only; NIO uses one)
 * @param responder identity, version, NSID and the UDP payload cap
 * @param answerCacheEntriesMax bound of the encoded-answer cache (0 disables it)
 * @param tcpConnectionsPerClientMax open TCP connections allowed per client address
 * @param tcpIdleMs a TCP connection with no traffic for this long is closed
 * @param axfrAllowed client addresses allowed to transfer zones without TSIG
 * @param tsigKeys keys whose valid signature allows a zone transfer from any address
 * @param notifyTargets secondaries sent a NOTIFY when a zone gets a new version
 * @param rrl response rate limiting ({@link RateLimitConfig#off()} to disable)
 */
public record DnsServerConfig(InetAddress address, int port, int udpSockets, ResponderConfig responder,
                              int answerCacheEntriesMax, int tcpConnectionsPerClientMax, int tcpIdleMs,
                              Set<InetAddress> axfrAllowed, List<TsigKey> tsigKeys,
                              List<InetSocketAddress> notifyTargets, RateLimitConfig rrl) {
    /** Default TCP connections per client address (NSD and Knot use similar small numbers). */
    public static final int tcpConnectionsPerClientDefaultMax = 16;
    /** Default TCP idle timeout (RFC 7766 suggests seconds, not minutes). */
    public static final int tcpIdleDefaultMs = 10_000;
    /** Most UDP sockets on one port. */
    public static final int udpSocketsMax = 64;

    /** Checks ranges and freezes the collections. */
    public DnsServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (udpSockets < 1 || udpSockets > udpSocketsMax) {
            throw new IllegalArgumentException("udpSockets must be 1.." + udpSocketsMax + ": " + udpSockets);
        }
        if (tcpConnectionsPerClientMax < 1 || tcpIdleMs < 1 || answerCacheEntriesMax < 0) {
            throw new IllegalArgumentException("TCP limits must be positive, cache size not negative");
        }
        axfrAllowed = Set.copyOf(axfrAllowed);
        tsigKeys = List.copyOf(tsigKeys);
        notifyTargets = List.copyOf(notifyTargets);
    }

    /** One UDP socket per core, default identity and limits, no transfers, no NOTIFY, no RRL. */
    public static DnsServerConfig defaults(InetAddress address, int port) {
        int sockets = Math.min(udpSocketsMax, Runtime.getRuntime().availableProcessors());
        return new DnsServerConfig(address, port, sockets, ResponderConfig.defaults(),
                QueryProcessor.answerCacheEntriesDefaultMax, tcpConnectionsPerClientDefaultMax, tcpIdleDefaultMs,
                Set.of(), List.of(), List.of(), RateLimitConfig.off());
    }

    /** This configuration with {@code udpSockets} UDP sockets. */
    public DnsServerConfig withUdpSockets(int sockets) {
        return new DnsServerConfig(address, port, sockets, responder, answerCacheEntriesMax,
                tcpConnectionsPerClientMax, tcpIdleMs, axfrAllowed, tsigKeys, notifyTargets, rrl);
    }
}
