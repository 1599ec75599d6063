package org.paxosdns.dns.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.paxosdns.dns.ResponderConfig;

/** Server configurations for tests: loopback, OS-chosen port, two UDP sockets. */
final class ServerConfigs {
    private ServerConfigs() {
    }

    static DnsServerConfig with(int tcpPerClient, int idleMs, Set<InetAddress> axfr, List<TsigKey> keys,
                                List<InetSocketAddress> notify, RateLimitConfig rrl) {
        return new DnsServerConfig(InetAddress.getLoopbackAddress(), 0, 2, ResponderConfig.defaults(), 1000,
                tcpPerClient, idleMs, axfr, keys, notify, rrl);
    }

    static DnsServerConfig plain() {
        return DnsServerConfig.defaults(InetAddress.getLoopbackAddress(), 0).withUdpSockets(2);
    }
}
