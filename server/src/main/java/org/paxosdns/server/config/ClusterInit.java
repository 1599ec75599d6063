package org.paxosdns.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.paxosdns.identity.CommanderEntry;
import org.paxosdns.identity.HostPort;
import org.paxosdns.identity.IdentityException;
import org.paxosdns.identity.KeyFiles;
import org.paxosdns.identity.Keys;
import org.paxosdns.identity.Roster;
import org.paxosdns.identity.RosterFile;
import org.paxosdns.identity.ServerEntry;
import org.paxosdns.identity.ServerKeys;

/**
 * {@code cluster init}: generates every key, writes {@code cluster.json}, one
 * {@code nodeI/node.conf} with keys per server and {@code commander/commander.key}. Node i
 * listens for DNS on base+10i, peers on base+10i+1, commanders on base+10i+2, ops on base+10i+3.
 */
public final class ClusterInit {
    /** Name of the roster file inside the cluster directory. */
    public static final String ROSTER_FILE = "cluster.json";
    /** Name of the marker that tells a node its empty log is a fresh start, not a wiped disk. */
    public static final String BOOTSTRAP_MARKER = "bootstrap";

    private ClusterInit() {}

    /** Creates the cluster directory; refuses a directory that already holds a roster. */
    public static Roster run(Path dir, int nodes, String host, int basePort, int rsaBits) throws IOException, IdentityException {
        return run(dir, nodes, host, basePort, rsaBits, List.of());
    }

    /** As {@link #run(Path, int, String, int, int)}, with more commanders whose keys are kept elsewhere. */
    public static Roster run(Path dir, int nodes, String host, int basePort, int rsaBits, List<CommanderEntry> moreCommanders)
            throws IOException, IdentityException {
        if (nodes < 1 || nodes > Roster.SERVERS_MAX) {
            throw new IllegalArgumentException("--nodes must be 1.." + Roster.SERVERS_MAX);
        }
        if (basePort < 1 || basePort + 10 * (nodes - 1) + 3 > 65535) {
            throw new IllegalArgumentException("--base-port leaves no room for " + nodes + " nodes");
        }
        if (Files.exists(dir.resolve(ROSTER_FILE))) {
            throw new IOException(dir.resolve(ROSTER_FILE) + " exists: refusing to overwrite a cluster");
        }
        Files.createDirectories(dir);
        List<ServerKeys> keys = generate(nodes, rsaBits);
        KeyPair commander = Keys.generate(rsaBits);
        List<ServerEntry> servers = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            int port = basePort + 10 * i;
            servers.add(new ServerEntry("node" + i, i, keys.get(i).nodeId(), keys.get(i).signing().getPublic(),
                    keys.get(i).comms().getPublic(), new HostPort(host, port + 1), new HostPort(host, port + 2),
                    new HostPort(host, port + 3), new HostPort(host, port)));
        }
        List<CommanderEntry> commanders = new ArrayList<>(moreCommanders);
        commanders.add(new CommanderEntry("commander", commander.getPublic(), List.of(".")));
        Roster roster = new Roster(servers, commanders);
        RosterFile.write(dir.resolve(ROSTER_FILE), roster);
        for (ServerEntry s : servers) {
            writeNode(dir, s, keys.get(s.index()));
        }
        Path commanderDir = Files.createDirectories(dir.resolve("commander"));
        KeyFiles.writePrivate(commanderDir.resolve("commander.key"), commander.getPrivate());
        KeyFiles.writePublic(commanderDir.resolve("commander.pub"), commander.getPublic());
        return roster;
    }

    private static void writeNode(Path dir, ServerEntry s, ServerKeys keys) throws IOException {
        Path nodeDir = Files.createDirectories(dir.resolve(s.name()));
        Path keyDir = Files.createDirectories(nodeDir.resolve("keys"));
        Path dataDir = Files.createDirectories(nodeDir.resolve("data"));
        keys.save(keyDir);
        Files.writeString(dataDir.resolve(BOOTSTRAP_MARKER), "written by cluster init\n");
        new NodeConfig(s.name(), dir.resolve(ROSTER_FILE), keyDir, dataDir, s.dns(), s.peer(), s.commander(), s.ops(),
                Map.of(), Map.of()).write(nodeDir.resolve("node.conf"));
    }

    /** RSA generation costs about a second a key: spread it over the cores. */
    private static List<ServerKeys> generate(int nodes, int bits) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            List<Future<ServerKeys>> futures = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                futures.add(pool.submit(() -> ServerKeys.generate(bits)));
            }
            List<ServerKeys> keys = new ArrayList<>();
            for (Future<ServerKeys> f : futures) {
                keys.add(f.get());
            }
            return keys;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating keys", e);
        } catch (ExecutionException e) {
            throw new IOException("key generation failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
