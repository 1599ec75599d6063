package org.paxosdns.server.node;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.paxosdns.comms.Mesh;
import org.paxosdns.consensus.Role;
import org.paxosdns.consensus.host.Replica;
import org.paxosdns.consensus.host.ReplicaStatus;
import org.paxosdns.dns.net.DnsCounters;
import org.paxosdns.dns.net.DnsServer;
import org.paxosdns.identity.Roster;
import org.paxosdns.identity.ServerEntry;
import org.paxosdns.server.kv.KvCodec;
import org.paxosdns.server.kv.KvStateMachine;
import org.paxosdns.server.ops.Metrics;
import org.paxosdns.server.ops.NodeStatus;
import org.paxosdns.server.ops.OpsSource;
import org.paxosdns.server.ops.ZoneInfo;
import org.paxosdns.zonestore.blob.BlobStore;
import org.paxosdns.zonestore.blob.ContentHash;
import org.paxosdns.zonestore.state.ZoneEntry;
import org.paxosdns.zonestore.state.ZoneStateMachine;
import org.xbill.DNS.Rcode;

/** The node as the ops endpoint sees it: status, zones and metrics, read from the live parts. */
final class NodeOps implements OpsSource {
    private final ServerEntry self;
    private final Roster roster;
    private final Mesh mesh;
    private final Replica dnsReplica;
    private final ZoneStateMachine zones;
    private final ZoneServing serving;
    private final Metrics metrics;
    private final Replica kvReplica;
    private final KvStateMachine kv;

    NodeOps(ServerEntry self, Roster roster, Mesh mesh, Replica dnsReplica, ZoneStateMachine zones,
            ZoneServing serving, BlobStore blobs, Metrics metrics, DnsServer dns, Replica kvReplica, KvStateMachine kv) {
        this.self = self;
        this.roster = roster;
        this.mesh = mesh;
        this.dnsReplica = dnsReplica;
        this.zones = zones;
        this.serving = serving;
        this.metrics = metrics;
        this.kvReplica = kvReplica;
        this.kv = kv;
        register(blobs);
        register(dns.counters());
    }

    private void register(DnsCounters dns) {
        String help = "DNS answers sent, by response code (the header's 4 bits).";
        for (int rcode = 0; rcode < DnsCounters.headerRcodes; rcode++) {
            int code = rcode;
            metrics.counterFrom("paxosdns_dns_queries_total", help, "rcode=\"" + Rcode.string(code) + "\"",
                    () -> dns.answers(code));
        }
        String byTransport = "DNS answers sent, by transport (zone transfers not included).";
        metrics.counterFrom("paxosdns_dns_answers_total", byTransport, "transport=\"udp\"", () -> dns.answers(false));
        metrics.counterFrom("paxosdns_dns_answers_total", byTransport, "transport=\"tcp\"", () -> dns.answers(true));
        metrics.counterFrom("paxosdns_dns_truncated_total", "DNS answers sent with TC set.", "", dns::truncated);
        String rrl = "UDP answers withheld (drop) or sent empty with TC (slip) by response rate limiting.";
        metrics.counterFrom("paxosdns_dns_rrl_total", rrl, "action=\"drop\"", dns::rrlDropped);
        metrics.counterFrom("paxosdns_dns_rrl_total", rrl, "action=\"slip\"", dns::rrlSlipped);
        metrics.counterFrom("paxosdns_dns_unanswered_total", "Packets dropped as no query (responses, runts).", "",
                dns::unanswered);
        metrics.counterFrom("paxosdns_dns_transfers_total", "Zone transfer requests (AXFR, IXFR).", "", dns::transfers);
    }

    /** The consensus counters of one application's replica, labelled with its appNdx. */
    private void register(Replica replica, String app) {
        metrics.counterFrom("paxosdns_commits_total", "Slots applied by this replica.", app, () -> replica.status().appliedSlot());
        metrics.gauge("paxosdns_apply_lag_slots", "Slots chosen but not yet applied here.", app,
                () -> Math.max(0, replica.status().chosenSlot() - replica.status().appliedSlot()));
        metrics.counterFrom("paxosdns_fsyncs_total", "Write-ahead log fsyncs.", app, () -> replica.status().fsyncs());
        metrics.counterFrom("paxosdns_dropped_messages_total", "Consensus messages dropped on full queues.", app,
                () -> replica.status().droppedMessages());
        metrics.gauge("paxosdns_leader", "1 when this node leads the application.", app,
                () -> replica.status().role() == Role.LEADER ? 1 : 0);
    }

    private void register(BlobStore blobs) {
        metrics.gauge("paxosdns_state_ndx", "Commands executed by the DNS application.", "app=\"1\"", zones::stateNdx);
        metrics.gauge("paxosdns_state_ndx", "Commands executed by the key-value application.", "app=\"2\"", () -> kv.stateNdx());
        register(dnsReplica, "app=\"1\"");
        register(kvReplica, "app=\"2\"");
        metrics.gauge("paxosdns_quorate", "1 when this node reaches a majority.", "", () -> mesh.isQuorate() ? 1 : 0);
        for (ServerEntry s : roster.servers()) {
            if (s.index() != self.index()) {
                metrics.gauge("paxosdns_peer_up", "1 when the peer's connection is up.", "peer=\"" + s.name() + "\"",
                        () -> mesh.isUp(s.index()) ? 1 : 0);
            }
        }
        metrics.gauge("paxosdns_blob_store_bytes", "Bytes of zone files stored.", "", blobs::totalBytes);
        metrics.counterFrom("paxosdns_blob_corrupt_total", "Stored zone files found corrupt and discarded.", "",
                blobs::corruptBlobsFound);
        metrics.gauge("paxosdns_zones", "Zones in the applied state.", "", () -> zones.state().zoneCount());
    }

    @Override
    public NodeStatus status() {
        ReplicaStatus r = dnsReplica.status();
        String leader = leaderName(r);
        List<NodeStatus.Peer> peers = new ArrayList<>();
        for (ServerEntry s : roster.servers()) {
            if (s.index() != self.index()) {
                peers.add(new NodeStatus.Peer(s.name(), mesh.isUp(s.index())));
            }
        }
        boolean healthy = r.fatalError() == null && (roster.size() == 1 || mesh.isQuorate());
        return new NodeStatus(self.name(), role(r.role()), leader, roster.clusterIdHex(), zones.stateNdx(), peers,
                List.of(new NodeStatus.App(1, zones.stateNdx(), HexFormat.of().formatHex(zones.stateDigest()), leader),
                        new NodeStatus.App(KvCodec.KV_APP_NDX, kv.stateNdx(), HexFormat.of().formatHex(kv.digest()),
                                leaderName(kvReplica.status()))),
                zones.state().zoneCount(), healthy);
    }

    private String leaderName(ReplicaStatus r) {
        return r.leaderIndex() >= 0 ? roster.server(r.leaderIndex()).name() : "";
    }

    private static String role(Role role) {
        return switch (role) {
            case LEADER -> "leader";
            case CANDIDATE, PRE_CANDIDATE -> "candidate";
            case FOLLOWER -> "follower";
        };
    }

    @Override
    public List<ZoneInfo> zones() {
        return zones.state().zones().stream().map(this::info).toList();
    }

    @Override
    public Optional<ZoneInfo> zone(String fqdn) {
        return zones.state().zone(fqdn).map(this::info);
    }

    private ZoneInfo info(ZoneEntry e) {
        Optional<ContentHash> served = serving.servedHash(e.fqdn());
        return new ZoneInfo(e.fqdn(), e.hash().toHex(), e.soaSerial(), e.stateNdx(), e.commanderId(),
                served.map(ContentHash::toHex).orElse(""), served.map(e.hash()::equals).orElse(false));
    }

    @Override
    public Metrics metrics() {
        return metrics;
    }
}
