package org.paxosdns.server.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.paxosdns.comms.AppHandler;
import org.paxosdns.comms.Mesh;
import org.paxosdns.comms.MeshConfig;
import org.paxosdns.comms.PeerListener;
import org.paxosdns.consensus.host.Replica;
import org.paxosdns.consensus.host.ReplicaConfig;
import org.paxosdns.consensus.host.StateMachine;
import org.paxosdns.consensus.host.Transport;
import org.paxosdns.dns.ResponderConfig;
import org.paxosdns.dns.ZoneTable;
import org.paxosdns.dns.net.DnsServer;
import org.paxosdns.dns.net.DnsServerConfig;
import org.paxosdns.identity.IdentityException;
import org.paxosdns.identity.Roster;
import org.paxosdns.identity.RosterFile;
import org.paxosdns.identity.ServerEntry;
import org.paxosdns.identity.ServerKeys;
import org.paxosdns.server.blob.BlobLink;
import org.paxosdns.server.blob.BlobTransfer;
import org.paxosdns.server.commander.CommanderServer;
import org.paxosdns.server.config.ClusterInit;
import org.paxosdns.server.config.ConfigException;
import org.paxosdns.server.config.DnsSettings;
import org.paxosdns.server.config.NodeConfig;
import org.paxosdns.server.kv.KvCodec;
import org.paxosdns.server.kv.KvStateMachine;
import org.paxosdns.server.ops.OpsHttpServer;
import org.paxosdns.zonestore.admission.CommandAdmission;
import org.paxosdns.zonestore.admission.UploadAdmission;
import org.paxosdns.zonestore.blob.BlobStore;
import org.paxosdns.zonestore.blob.BlobStoreLimits;
import org.paxosdns.zonestore.command.CommandDecoder;
import org.paxosdns.zonestore.state.SnapshotFormatException;
import org.paxosdns.zonestore.state.ZoneStateMachine;
import org.paxosdns.zonestore.zone.ParsedZoneCache;
import org.paxosdns.zonestore.zone.ZoneLimits;
import org.paxosdns.zonestore.zone.ZoneValidator;

/**
 * One paxosdns server, wired: identity, the mesh, the DNS application's replica and state
 * machine, the key-value register's replica and state machine (appNdx 2), the blob store and transfer, the DNS front end, the commander port and the ops
 * endpoint. It opens its DNS and commander ports only after its log is replayed.
 */
public final class Node implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Node.class.getName());
    /** Threads admitting commands and storing uploads (signature checks, zone parsing, fsync). */
    static final int COMMAND_THREADS = 2;
    /**
     * Threads admitting zone commands and uploads, and writing received blobs: each waits on
     * fsyncs (an upload or a pushed blob costs two), so more of them than cores keep the disk's
     * queue full while concurrent commanders publish.
     */
    static final int ZONE_DISK_THREADS = 8;
    /** Commands and uploads waiting for a thread; more are refused as busy. */
    static final int COMMAND_QUEUE_MAX = 1_024;
    /** The version CHAOS version.bind reports unless configured otherwise. */
    static final String VERSION = "0.1.0";

    private final NodeConfig config;
    private final Roster roster;
    private final ServerEntry self;
    private final long scrubMs;
    private final long scrubBytesPerSecond;
    private final org.paxosdns.server.ops.Metrics metrics = new org.paxosdns.server.ops.Metrics();
    private final List<AutoCloseable> closeables = new java.util.ArrayList<>();
    private final java.util.concurrent.CompletableFuture<Void> fatal = new java.util.concurrent.CompletableFuture<>();
    private Mesh mesh;
    private Replica dnsReplica;
    private Replica kvReplica;
    private KvStateMachine kv;
    private ZoneStateMachine zones;
    private ZoneServing serving;
    private BlobStore blobs;
    private DnsServer dns;

    private Node(NodeConfig config, Roster roster, ServerEntry self) throws ConfigException {
        this.config = config;
        this.roster = roster;
        this.self = self;
        this.scrubMs = config.positiveLong("blob.scrub-ms", ZoneServing.SCRUB_MS_DEFAULT);
        this.scrubBytesPerSecond = config.positiveLong("blob.scrub-bytes-per-second",
                BlobScrubber.SCRUB_BYTES_PER_SECOND_DEFAULT);
    }

    /** Starts a node from its configuration; fails with a clear message on any bad file. */
    public static Node start(NodeConfig config) throws IOException, IdentityException, ConfigException, InterruptedException {
        Roster roster = RosterFile.read(config.cluster());
        ServerEntry self = roster.serverByName(config.name())
                .orElseThrow(() -> new ConfigException("node '" + config.name() + "' is not in " + config.cluster()));
        ServerKeys keys = ServerKeys.load(config.keys());
        keys.checkAgainst(self);
        Node node = new Node(config, roster, self);
        try {
            node.open(keys);
        } catch (IOException | RuntimeException | InterruptedException e) {
            node.close();
            throw e;
        }
        return node;
    }

    private void open(ServerKeys keys) throws IOException, InterruptedException {
        Files.createDirectories(config.data());
        blobs = BlobStore.open(config.data(), BlobStoreLimits.DEFAULT, System::currentTimeMillis);
        ZoneValidator validator = new ZoneValidator(ZoneLimits.DEFAULT);
        PreparedZones prepared = new PreparedZones(System::currentTimeMillis);
        ParsedZoneCache parser = new ParsedZoneCache(validator, ParsedZoneCache.CACHED_ZONES_MAX, prepared);
        zones = new ZoneStateMachine(roster);
        ZoneTable table = new ZoneTable();

        mesh = Mesh.start(meshConfig(keys));
        closeables.add(mesh::close);
        ExecutorService disk = boundedPool("blob-disk", ZONE_DISK_THREADS);
        BlobTransfer transfer = new BlobTransfer(blobs, blobLink(), disk);
        mesh.register(BlobTransfer.BLOB_APP_NDX, transfer::onMessage);
        serving = new ZoneServing(self.name(), blobs, transfer, validator, prepared, table, scrubMs, scrubBytesPerSecond);
        closeables.add(serving);
        zones.addListener(serving);

        dnsReplica = openReplica(CommandDecoder.DNS_APP_NDX, dnsStateMachine());
        kv = new KvStateMachine(roster.clusterId());
        kvReplica = openReplica(KvCodec.KV_APP_NDX, kv);
        mesh.addPeerListener(new PeerListener() {
            @Override
            public void peerUp(int index) {
                // a new connection needs nothing: the engines hear from the peer soon enough
            }

            @Override
            public void peerDown(int index) {
                dnsReplica.peerLost(index);
                kvReplica.peerLost(index);
            }
        });
        retireBootstrapMarker();
        serving.start(); // the replayed state's zones load now, before the DNS port opens
        dnsReplica.start();
        kvReplica.start();
        LOG.log(System.Logger.Level.INFO, "{0}: log replayed, stateNdx={1}", self.name(), Long.toUnsignedString(zones.stateNdx()));

        dns = DnsServer.start(dnsConfig(), table, zones::stateNdx);
        closeables.add(dns);
        ExecutorService commandPool = boundedPool("commands", COMMAND_THREADS);
        DnsCommands commands = new DnsCommands(zones, new CommandAdmission(roster, blobs, parser), new UploadAdmission(roster),
                blobs, transfer, dnsReplica, boundedPool("zone-commands", ZONE_DISK_THREADS), roster.quorum());
        closeables.add(commands);
        KvCommands kvCommands = new KvCommands(kv, kvReplica, roster, commandPool);
        closeables.add(kvCommands);
        closeables.add(CommanderServer.start(config.commander().toSocketAddress(), request -> request.hasSignedKvCommand()
                ? kvCommands.handle(request.getRequestId(), request.getSignedKvCommand().toByteArray()) : commands.handle(request),
                mesh.eventLoops()));
        closeables.add(OpsHttpServer.start(config.ops().toSocketAddress(),
                new NodeOps(self, roster, mesh, dnsReplica, zones, serving, blobs, metrics, dns, kvReplica, kv)));
        LOG.log(System.Logger.Level.INFO, "{0}: serving DNS on {1}, commanders on {2}, ops on {3}",
                self.name(), config.dns(), config.commander(), config.ops());
    }

    static {
        // The mesh must carry every engine message whole: a dropped promise or catch-up reply is re-sent
        // identically and dropped again, and the cluster stalls.
        if (org.paxosdns.consensus.PaxosCodec.messageBytesMax > org.paxosdns.comms.WireFormat.APP_CONTENTS_BYTES_MAX) {
            throw new IllegalStateException("the engine's largest message (" + org.paxosdns.consensus.PaxosCodec.messageBytesMax
                    + " bytes) exceeds the mesh's limit (" + org.paxosdns.comms.WireFormat.APP_CONTENTS_BYTES_MAX + ")");
        }
    }

    private Replica openReplica(int appNdx, StateMachine sm) throws IOException {
        Path marker = config.data().resolve(ClusterInit.BOOTSTRAP_MARKER);
        ReplicaConfig rc = ReplicaConfig.defaults(appNdx, self.index(), roster.size(), config.data(), Files.exists(marker));
        Replica replica = Replica.open(rc, sm, new Transport() {
            @Override
            public void send(int to, byte[] bytes) {
                mesh.send(appNdx, to, bytes);
            }

            @Override
            public void flush() {
                mesh.sendQueuedNow();
            }
        });
        closeables.add(replica);
        replica.terminated().whenComplete((done, failure) -> {
            if (failure != null) {
                LOG.log(System.Logger.Level.ERROR, self.name() + ": application " + appNdx + " stopped", failure);
                fatal.completeExceptionally(failure);
            }
        });
        mesh.register(appNdx, new AppHandler() {
            @Override
            public void onMessage(int from, byte[] contents) {
                replica.queueMessage(from, contents);
            }

            @Override
            public void onReadComplete() {
                replica.runQueued(); // once per socket read: what arrived together shares one force
            }
        });
        return replica;
    }

    /** The marker only vouches for an empty log; once the log holds the voter mark it must go. */
    private void retireBootstrapMarker() throws IOException {
        Files.deleteIfExists(config.data().resolve(ClusterInit.BOOTSTRAP_MARKER));
    }

    private StateMachine dnsStateMachine() {
        return new StateMachine() {
            @Override
            public byte[] apply(long slot, byte[] command) {
                return zones.apply(command);
            }

            @Override
            public byte[] snapshot() {
                return zones.snapshot();
            }

            @Override
            public void restore(byte[] snapshot) {
                try {
                    zones.restore(snapshot);
                } catch (SnapshotFormatException e) {
                    throw new IllegalStateException("a snapshot the log vouches for does not decode: " + e.getMessage(), e);
                }
            }

            @Override
            public boolean visibleAcrossCrashes() {
                return true; // a zone version answered over DNS must not go back to an older one after a restart
            }
        };
    }

    private MeshConfig meshConfig(ServerKeys keys) throws IOException {
        Map<Integer, InetSocketAddress> dial = new HashMap<>();
        config.dialOverrides().forEach((name, address) -> roster.serverByName(name)
                .ifPresent(s -> dial.put(s.index(), address.toSocketAddress())));
        return MeshConfig.defaults(roster, self.index(), keys, config.peer().toSocketAddress()).withDialOverrides(dial);
    }

    private DnsServerConfig dnsConfig() {
        InetSocketAddress address = config.dns().toSocketAddress();
        DnsServerConfig d = DnsServerConfig.defaults(address.getAddress(), address.getPort());
        boolean hideVersion = Boolean.parseBoolean(config.setting("dns.hide-version", "false"));
        ResponderConfig responder = new ResponderConfig(config.setting("dns.identity", self.name()),
                config.setting("dns.version", "paxosdns " + VERSION), hideVersion, config.setting("dns.nsid", self.name()),
                ResponderConfig.udpPayloadDefaultBytes);
        try {
            return DnsSettings.apply(config, d, responder);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private BlobLink blobLink() {
        List<Integer> peers = IntStream.range(0, roster.size()).filter(i -> i != self.index()).boxed().toList();
        return new BlobLink() {
            @Override
            public boolean sendBulk(int peer, byte[] bytes) {
                return mesh.sendBulk(BlobTransfer.BLOB_APP_NDX, peer, bytes);
            }

            @Override
            public List<Integer> peers() {
                return peers;
            }
        };
    }

    private ExecutorService boundedPool(String name, int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(COMMAND_QUEUE_MAX), r -> {
                    Thread t = new Thread(r, name + "-" + self.name());
                    t.setDaemon(true);
                    return t;
                });
        closeables.add(pool::shutdownNow);
        return pool;
    }

    /**
     * Fails when a replica stopped on a fatal error (an fsync failed: never retried, the log's
     * state is unknown), so the process must exit.
     */
    public java.util.concurrent.CompletableFuture<Void> fatal() {
        return fatal;
    }

    public String name() {
        return self.name();
    }

    public long stateNdx() {
        return zones.stateNdx();
    }

    /** Stops every part, the ports first, then the replica and the mesh (which says Bye). */
    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, self.name() + ": error while stopping", e);
            }
        }
        closeables.clear();
    }
}
