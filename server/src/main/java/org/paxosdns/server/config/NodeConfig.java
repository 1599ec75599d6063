package org.paxosdns.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.paxosdns.identity.HostPort;

/**
 * One node's {@code node.conf}: a versioned {@code key = value} file naming the roster, the key
 * directory, the data directory and the four listen addresses. Paths are relative to the file.
 * {@code dial.<peer name> = host:port} entries override where this node dials a peer (the chaos
 * harness points them at its fault-injecting proxies; the roster stays the same).
 */
public record NodeConfig(String name, Path cluster, Path keys, Path data,
                         HostPort dns, HostPort peer, HostPort commander, HostPort ops,
                         Map<String, HostPort> dialOverrides, Map<String, String> extra) {
    /** The format version this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /** Reads a node.conf; every error names the file and the key. */
    public static NodeConfig read(Path file) throws ConfigException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        String version = p.getProperty("format", "");
        if (!version.equals(String.valueOf(FORMAT_VERSION))) {
            throw new ConfigException(file + ": format = " + version + " is not supported (expected " + FORMAT_VERSION + ")");
        }
        Map<String, HostPort> dial = new TreeMap<>();
        Map<String, String> extra = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("dial.")) {
                dial.put(key.substring(5), address(file, p, key));
            } else if (!KNOWN.contains(key)) {
                extra.put(key, p.getProperty(key).trim());
            }
        }
        return new NodeConfig(required(file, p, "name"), base.resolve(required(file, p, "cluster")).normalize(),
                base.resolve(required(file, p, "keys")).normalize(), base.resolve(required(file, p, "data")).normalize(),
                address(file, p, "dns"), address(file, p, "peer"), address(file, p, "commander"), address(file, p, "ops"),
                dial, extra);
    }

    /** Writes this configuration, with paths made relative to the file's directory. */
    public void write(Path file) throws IOException {
        Path base = file.toAbsolutePath().getParent();
        StringBuilder text = new StringBuilder("# paxosdns node configuration\n");
        text.append("format = ").append(FORMAT_VERSION).append('\n');
        text.append("name = ").append(name).append('\n');
        text.append("cluster = ").append(base.relativize(cluster.toAbsolutePath())).append('\n');
        text.append("keys = ").append(base.relativize(keys.toAbsolutePath())).append('\n');
        text.append("data = ").append(base.relativize(data.toAbsolutePath())).append('\n');
        text.append("# listen addresses\n");
        text.append("dns = ").append(dns).append('\n');
        text.append("peer = ").append(peer).append('\n');
        text.append("commander = ").append(commander).append('\n');
        text.append("ops = ").append(ops).append('\n');
        dialOverrides.forEach((peerName, addr) -> text.append("dial.").append(peerName).append(" = ").append(addr).append('\n'));
        extra.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    }

    /** An optional setting from the file, or {@code fallback}. */
    public String setting(String key, String fallback) {
        return extra.getOrDefault(key, fallback);
    }

    /** An optional whole-number setting above zero, or {@code fallback}; anything else names the key. */
    public long positiveLong(String key, long fallback) throws ConfigException {
        String value = extra.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the key
        }
        throw new ConfigException("'" + key + "' must be a whole number above zero, not '" + value + "'");
    }

    private static final java.util.Set<String> KNOWN =
            java.util.Set.of("format", "name", "cluster", "keys", "data", "dns", "peer", "commander", "ops");

    private static String required(Path file, Properties p, String key) throws ConfigException {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new ConfigException(file + ": missing '" + key + "'");
        }
        return value.trim();
    }

    private static HostPort address(Path file, Properties p, String key) throws ConfigException {
        try {
            return HostPort.parse(required(file, p, key));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": '" + key + "': " + e.getMessage());
        }
    }
}
