package org.paxosdns.identity;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The cluster's membership, fixed at {@code cluster init}: every server and every commander.
 * The cluster ID is the SHA3-256 of the roster's canonical form, which covers identities and
 * rights but not addresses: moving a server to another address keeps the cluster ID, while
 * adding a key or a right makes a different cluster.
 */
public final class Roster {
    /** Most servers in one cluster. */
    public static final int SERVERS_MAX = 9;
    /** Most commanders in one roster. */
    public static final int COMMANDERS_MAX = 1024;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final List<ServerEntry> servers;
    private final List<CommanderEntry> commanders;
    private final byte[] clusterId;

    /** Builds a roster; servers must be indexed 0..N-1 with unique names and node IDs matching their keys. */
    public Roster(List<ServerEntry> servers, List<CommanderEntry> commanders) throws IdentityException {
        this.servers = servers.stream().sorted(Comparator.comparingInt(ServerEntry::index)).toList();
        this.commanders = commanders.stream().sorted(Comparator.comparing(CommanderEntry::id)).toList();
        validate();
        this.clusterId = Hashes.sha3(canonical());
    }

    public List<ServerEntry> servers() {
        return servers;
    }

    public List<CommanderEntry> commanders() {
        return commanders;
    }

    public int size() {
        return servers.size();
    }

    /** The smallest number of servers that form a majority. */
    public int quorum() {
        return servers.size() / 2 + 1;
    }

    public byte[] clusterId() {
        return clusterId.clone();
    }

    public String clusterIdHex() {
        return java.util.HexFormat.of().formatHex(clusterId);
    }

    public ServerEntry server(int index) {
        return servers.get(index);
    }

    public Optional<ServerEntry> serverByName(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<ServerEntry> serverById(NodeId id) {
        return servers.stream().filter(s -> s.nodeId().equals(id)).findFirst();
    }

    public Optional<CommanderEntry> commander(String id) {
        return commanders.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** The bytes the cluster ID hashes: a versioned line per member, in index and ID order. */
    byte[] canonical() {
        Base64.Encoder b64 = Base64.getEncoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder text = new StringBuilder("paxosdns-roster v1\n");
        for (ServerEntry s : servers) {
            text.append("server ").append(s.index()).append(' ').append(s.name()).append(' ')
                    .append(s.nodeId().toHex()).append(' ')
                    .append(b64.encodeToString(s.signingKey().getEncoded())).append(' ')
                    .append(b64.encodeToString(s.commsKey().getEncoded())).append('\n');
        }
        for (CommanderEntry c : commanders) {
            text.append("commander ").append(c.id()).append(' ')
                    .append(b64.encodeToString(c.signingKey().getEncoded())).append(' ')
                    .append(String.join(",", c.zoneSuffixes())).append('\n');
        }
        out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private void validate() throws IdentityException {
        if (servers.isEmpty() || servers.size() > SERVERS_MAX) {
            throw new IdentityException("a roster has 1 to " + SERVERS_MAX + " servers, not " + servers.size());
        }
        if (commanders.size() > COMMANDERS_MAX) {
            throw new IdentityException("a roster has at most " + COMMANDERS_MAX + " commanders");
        }
        Set<String> names = new HashSet<>();
        Set<NodeId> ids = new HashSet<>();
        for (int i = 0; i < servers.size(); i++) {
            ServerEntry s = servers.get(i);
            if (s.index() != i) {
                throw new IdentityException("server indices must be 0.." + (servers.size() - 1) + "; missing " + i);
            }
            checkName("server", s.name());
            if (!names.add(s.name())) {
                throw new IdentityException("server name '" + s.name() + "' appears twice");
            }
            if (!NodeId.of(s.signingKey()).equals(s.nodeId())) {
                throw new IdentityException("server '" + s.name() + "': nodeId is not the SHA3-256 of its signing key");
            }
            if (!ids.add(s.nodeId())) {
                throw new IdentityException("server '" + s.name() + "': nodeId appears twice");
            }
        }
        Set<String> commanderIds = new HashSet<>();
        for (CommanderEntry c : commanders) {
            checkName("commander", c.id());
            if (!commanderIds.add(c.id())) {
                throw new IdentityException("commander '" + c.id() + "' appears twice");
            }
        }
    }

    private static void checkName(String kind, String name) throws IdentityException {
        if (!NAME.matcher(name).matches()) {
            throw new IdentityException(kind + " name '" + name + "' must match " + NAME.pattern());
        }
    }
}
