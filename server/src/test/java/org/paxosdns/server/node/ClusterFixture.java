package org.paxosdns.server.node;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.paxosdns.identity.CommanderEntry;
import org.paxosdns.identity.CommanderKey;
import org.paxosdns.identity.IdentityException;
import org.paxosdns.identity.Roster;
import org.paxosdns.server.client.Commander;
import org.paxosdns.server.client.PublishOutcome;
import org.paxosdns.server.process.LocalCluster;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** A real cluster of node processes for end-to-end tests, with helpers to publish and to dig. */
final class ClusterFixture implements AutoCloseable {
    /** RSA size of the keys cluster init makes here: the minimum, to keep key generation short. */
    static final int TEST_RSA_BITS = 2048;
    /** The generous deadline of every wait, in milliseconds: the machine is shared and slow. */
    static final long WAIT_MS = 60_000;

    final LocalCluster cluster;
    private final Commander commander;
    private int nextSeq = 1;

    private ClusterFixture(LocalCluster cluster) throws IdentityException {
        this.cluster = cluster;
        this.commander = commander(CommanderKey.load(cluster.commanderKey(), cluster.roster()));
    }

    /** Initialises and starts {@code size} node processes and waits until every one is healthy. */
    static ClusterFixture start(Path dir, int size, List<CommanderEntry> moreCommanders) throws Exception {
        LocalCluster cluster = LocalCluster.prepare(dir, size, LocalCluster.freeBasePort(size), TEST_RSA_BITS, moreCommanders);
        ClusterFixture fixture = new ClusterFixture(cluster);
        cluster.startAll();
        fixture.awaitTrue("every node healthy", () -> allHealthy(cluster));
        return fixture;
    }

    private static boolean allHealthy(LocalCluster cluster) {
        for (int i = 0; i < cluster.size(); i++) {
            if (!cluster.healthy(i)) {
                return false;
            }
        }
        return true;
    }

    Roster roster() {
        return cluster.roster();
    }

    Commander commander(CommanderKey key) {
        return new Commander(cluster.roster(), key, 10_000);
    }

    Commander commander(String id, KeyPair pair) {
        CommanderEntry entry = cluster.roster().commander(id).orElseThrow();
        return commander(new CommanderKey(entry, pair));
    }

    Commander commander() {
        return commander;
    }

    long seq() {
        return nextSeq++;
    }

    /** Publishes one zone file with the cluster's own commander. */
    PublishOutcome publish(String fqdn, String zoneText) {
        byte[] content = zoneText.getBytes(StandardCharsets.UTF_8);
        return commander.execute(Map.of(fqdn, content), commander.builder().putZoneFile(fqdn, content).sign(seq()));
    }

    PublishOutcome delete(String fqdn) {
        return commander.execute(Map.of(), commander.builder().deleteZone(fqdn).sign(seq()));
    }

    /** A small valid zone. */
    static String zone(String fqdn, long serial, String wwwAddress) {
        return "$ORIGIN " + fqdn + "\n$TTL 300\n"
                + "@ IN SOA ns1 hostmaster " + serial + " 3600 600 604800 300\n"
                + "@ IN NS ns1\nns1 IN A 192.0.2.1\nwww IN A " + wwwAddress + "\n";
    }

    /** The node's stateNdx from its ops endpoint, or -1 when it does not answer. */
    long stateNdx(int node) {
        return cluster.state(node).map(json -> JsonParser.parseString(json).getAsJsonObject().get("stateNdx").getAsLong())
                .orElse(-1L);
    }

    Optional<String> role(int node) {
        return cluster.state(node).map(json -> JsonParser.parseString(json).getAsJsonObject().get("role").getAsString());
    }

    /** Sends one query over UDP or TCP; empty when no answer came. */
    Optional<Message> dig(int node, String name, int type, boolean tcp) {
        try {
            SimpleResolver resolver = new SimpleResolver(cluster.dnsAddress(node));
            resolver.setTCP(tcp);
            resolver.setTimeout(Duration.ofSeconds(2));
            return Optional.of(resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, 1))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The first answer record's data as text ("192.0.2.10"), or empty. */
    Optional<String> answer(int node, String name, int type, boolean tcp) {
        return dig(node, name, type, tcp).flatMap(m -> m.getSection(Section.ANSWER).stream()
                .filter(r -> r.getType() == type).map(Record::rdataToString).findFirst());
    }

    int rcode(int node, String name, boolean tcp) {
        return dig(node, name, Type.SOA, tcp).map(Message::getRcode).orElse(-1);
    }

    InetSocketAddress commanderAddress(int node) {
        return cluster.roster().server(node).commander().toSocketAddress();
    }

    void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        if (!LocalCluster.await(WAIT_MS, condition)) {
            StringBuilder logs = new StringBuilder();
            for (int i = 0; i < cluster.size(); i++) {
                logs.append("\n--- node").append(i).append(":\n").append(cluster.logTail(i, 20));
            }
            throw new AssertionError("timed out waiting for: " + what + logs);
        }
    }

    @Override
    public void close() throws InterruptedException {
        cluster.close();
    }
}
