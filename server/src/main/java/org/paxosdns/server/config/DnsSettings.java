package org.paxosdns.server.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.paxosdns.dns.ResponderConfig;
import org.paxosdns.dns.net.DnsServerConfig;
import org.paxosdns.dns.net.RateLimitConfig;
import org.paxosdns.dns.net.TsigKey;
import org.paxosdns.identity.HostPort;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The DNS front end's optional node.conf settings, turned into a {@link DnsServerConfig}:
 * {@code dns.udp-sockets = N}, {@code dns.axfr-allow = addr,addr}, {@code dns.tsig.<key name> =
 * <algorithm>:<base64 secret>}, {@code dns.notify = host:port,host:port}, {@code dns.rrl =
 * <responses per second>} and {@code dns.rrl-slip = N}. A bad value is a {@link ConfigException}
 * naming the key, never a silent default.
 */
public final class DnsSettings {
    /** Prefix of TSIG key settings; the rest of the key is the TSIG key's name. */
    public static final String TSIG_PREFIX = "dns.tsig.";
    /** Slip used when {@code dns.rrl} is set without {@code dns.rrl-slip} (Knot's and BIND's default). */
    public static final int RRL_SLIP_DEFAULT = 2;
    /** Most addresses in {@code dns.axfr-allow} or targets in {@code dns.notify}. */
    public static final int ADDRESSES_MAX = 64;

    private DnsSettings() {
    }

    /** {@code base} with the listen address kept and every {@code dns.*} setting of {@code config} applied. */
    public static DnsServerConfig apply(NodeConfig config, DnsServerConfig base, ResponderConfig responder)
            throws ConfigException {
        Map<String, String> s = config.extra();
        int udpSockets = number(s, "dns.udp-sockets", base.udpSockets());
        int perSecond = number(s, "dns.rrl", base.rrl().responsesPerSecond());
        int slip = number(s, "dns.rrl-slip", perSecond > 0 ? RRL_SLIP_DEFAULT : base.rrl().slip());
        try {
            return new DnsServerConfig(base.address(), base.port(), udpSockets, responder, base.answerCacheEntriesMax(),
                    base.tcpConnectionsPerClientMax(), base.tcpIdleMs(), axfrAllowed(s), tsigKeys(s), notifyTargets(s),
                    new RateLimitConfig(perSecond, slip));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("dns settings: " + e.getMessage());
        }
    }

    private static int number(Map<String, String> s, String key, int fallback) throws ConfigException {
        String text = s.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " = '" + text + "' is not a number");
        }
    }

    private static List<String> items(Map<String, String> s, String key) throws ConfigException {
        String text = s.getOrDefault(key, "");
        List<String> out = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                out.add(item.trim());
            }
        }
        if (out.size() > ADDRESSES_MAX) {
            throw new ConfigException(key + ": more than " + ADDRESSES_MAX + " entries");
        }
        return out;
    }

    private static Set<InetAddress> axfrAllowed(Map<String, String> s) throws ConfigException {
        Set<InetAddress> out = new LinkedHashSet<>();
        for (String item : items(s, "dns.axfr-allow")) {
            out.add(literal("dns.axfr-allow", item));
        }
        return out;
    }

    /** An IP address literal: a host name here would be resolved once and silently go stale. */
    private static InetAddress literal(String key, String text) throws ConfigException {
        boolean looksLiteral = text.contains(":") || text.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        if (!looksLiteral) {
            throw new ConfigException(key + ": '" + text + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new ConfigException(key + ": '" + text + "' is not an IP address");
        }
    }

    private static List<InetSocketAddress> notifyTargets(Map<String, String> s) throws ConfigException {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String item : items(s, "dns.notify")) {
            try {
                HostPort target = HostPort.parse(item);
                out.add(new InetSocketAddress(literal("dns.notify", target.host()), target.port()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("dns.notify: " + e.getMessage());
            }
        }
        return out;
    }

    private static List<TsigKey> tsigKeys(Map<String, String> s) throws ConfigException {
        List<TsigKey> out = new ArrayList<>();
        for (Map.Entry<String, String> e : s.entrySet()) {
            if (e.getKey().startsWith(TSIG_PREFIX)) {
                out.add(tsigKey(e.getKey(), e.getKey().substring(TSIG_PREFIX.length()), e.getValue()));
            }
        }
        return out;
    }

    private static TsigKey tsigKey(String key, String name, String value) throws ConfigException {
        int colon = value.indexOf(':');
        if (name.isEmpty() || colon <= 0 || colon == value.length() - 1) {
            throw new ConfigException(key + ": expected <algorithm>:<base64 secret>");
        }
        String secret = value.substring(colon + 1);
        try {
            Base64.getDecoder().decode(secret);
            TsigKey tsig = new TsigKey(Name.fromString(name, Name.root), Name.fromString(value.substring(0, colon), Name.root),
                    secret);
            tsig.tsig();
            return tsig;
        } catch (TextParseException | IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage());
        }
    }
}
