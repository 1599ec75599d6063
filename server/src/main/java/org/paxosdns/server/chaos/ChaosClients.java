package org.paxosdns.server.chaos;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.paxosdns.identity.CommanderKey;
import org.paxosdns.identity.Roster;
import org.paxosdns.proto.KvReply;
import org.paxosdns.server.client.Commander;
import org.paxosdns.server.client.KvClient;
import org.paxosdns.server.client.KvOutcome;
import org.paxosdns.server.client.PublishOutcome;
import org.paxosdns.server.client.DnsProbe;
import org.paxosdns.zonestore.command.CommandBuilder;

/**
 * The clients of a chaos run, each on its own thread: key-value clients doing put, get and
 * compare-and-set on a few shared keys; publishers raising the SOA serial of their own zone;
 * and one DNS reader per node asking for every zone's SOA serial. Every operation goes into
 * the history with its invocation and completion times and its outcome.
 */
public final class ChaosClients {
    /** Keys the key-value clients share (few, so they contend). */
    public static final List<String> KEYS = List.of("k0", "k1", "k2", "k3", "k4");
    /** Pause between one client's operations, drawn uniformly below this, in milliseconds. */
    public static final int THINK_MS_MAX = 20;
    /** Pause between one publisher's publishes, in milliseconds. */
    public static final int PUBLISH_PAUSE_MS = 100;
    /** Pause between two rounds of one DNS reader, in milliseconds. */
    public static final int READ_PAUSE_MS = 25;
    /** How long a DNS reader waits for one answer, in milliseconds. */
    public static final int DNS_TIMEOUT_MS = 300;
    /** How long a publisher waits on one server for one request, in milliseconds. */
    public static final int PUBLISH_REQUEST_TIMEOUT_MS = 2_000;

    private final Roster roster;
    private final CommanderKey key;
    private final ChaosHistory history;
    private final long seed;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong kvSeqs = new AtomicLong(1);
    private final AtomicLong dnsSeqs = new AtomicLong(1);
    private volatile boolean running = true;

    public ChaosClients(Roster roster, CommanderKey key, ChaosHistory history, long seed) {
        this.roster = roster;
        this.key = key;
        this.history = history;
        this.seed = seed;
    }

    /** The zone publisher {@code i} owns. */
    public static String zone(int publisher) {
        return "p" + publisher + ".chaos.test.";
    }

    /** Starts {@code kvClients} key-value clients, {@code publishers} publishers and one DNS reader per node. */
    public void start(int kvClients, int publishers) {
        for (int c = 0; c < kvClients; c++) {
            int client = c;
            spawn("kv-client-" + c, () -> kvLoop(client));
        }
        List<String> zones = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            int publisher = p;
            zones.add(zone(p));
            spawn("publisher-" + p, () -> publishLoop(publisher));
        }
        for (int n = 0; n < roster.size(); n++) {
            int node = n;
            spawn("dns-reader-" + n, () -> readLoop(node, zones));
        }
    }

    /** Asks every client to stop after its current operation and waits for them. */
    public void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join();
        }
    }

    private void spawn(String name, InterruptibleTask task) {
        Thread t = new Thread(() -> {
            try {
                task.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private interface InterruptibleTask {
        void run() throws InterruptedException;
    }

    // ---------------------------------------------------------------- key-value clients

    private void kvLoop(int client) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(seed * 31 + client);
        Map<String, String> lastSeen = new HashMap<>();
        try (KvClient kv = new KvClient(roster, key, client, KvClient.ATTEMPT_TIMEOUT_MS_DEFAULT, KvClient.OPERATION_TIMEOUT_MS_DEFAULT)) {
            for (int n = 0; running; n++) {
                String k = KEYS.get(random.nextInt(KEYS.size()));
                int choice = random.nextInt(10);
                if (choice < 4) {
                    String value = "c" + client + "-" + n;
                    write(kv, client, Operation.Kind.PUT, k, value, null, kv.builder().put(kvSeqs.getAndIncrement(), k, value));
                    lastSeen.put(k, value);
                } else if (choice < 7) {
                    get(kv, client, k).ifPresent(v -> lastSeen.put(k, v));
                } else {
                    String expected = lastSeen.get(k);
                    String value = "c" + client + "-" + n;
                    write(kv, client, Operation.Kind.CAS, k, value, expected,
                            kv.builder().cas(kvSeqs.getAndIncrement(), k, expected, value));
                }
                Thread.sleep(random.nextInt(THINK_MS_MAX + 1));
            }
        }
    }

    private void write(KvClient kv, int client, Operation.Kind kind, String k, String value, String expected, byte[] signed)
            throws InterruptedException {
        long invoke = System.nanoTime();
        KvOutcome outcome = kv.execute(signed);
        long complete = System.nanoTime();
        Operation.Outcome how = Operation.Outcome.UNKNOWN;
        String result = null;
        if (outcome instanceof KvOutcome.Answered a) {
            how = switch (a.reply().getStatus()) {
                case OK -> Operation.Outcome.OK;
                case OUTCOME_UNKNOWN -> Operation.Outcome.UNKNOWN;
                default -> Operation.Outcome.FAIL;
            };
            result = kind == Operation.Kind.CAS ? Boolean.toString(a.reply().getSwapped()) : null;
        } else if (outcome instanceof KvOutcome.NotDone) {
            how = Operation.Outcome.FAIL;
        }
        history.record(new Operation(history.nextId(), client, kind, k, value, expected, invoke, complete, how, result));
    }

    /** A linearizable get; what it read (empty when it failed or the key has no value). */
    java.util.Optional<String> get(KvClient kv, int client, String k) throws InterruptedException {
        long invoke = System.nanoTime();
        KvOutcome outcome = kv.execute(kv.builder().get(kvSeqs.getAndIncrement(), k));
        long complete = System.nanoTime();
        if (outcome instanceof KvOutcome.Answered a && a.reply().getStatus() == KvReply.Status.OK) {
            String value = a.reply().getFound() ? a.reply().getValue() : null;
            history.record(new Operation(history.nextId(), client, Operation.Kind.GET, k, null, null, invoke, complete,
                    Operation.Outcome.OK, value));
            return java.util.Optional.ofNullable(value);
        }
        // A get that got no answer changed nothing: it is left out of the history as refused.
        history.record(new Operation(history.nextId(), client, Operation.Kind.GET, k, null, null, invoke, complete,
                Operation.Outcome.FAIL, null));
        return java.util.Optional.empty();
    }

    /** One final linearizable get per key, after the run, so lost writes show up as a non-linearizable history. */
    public void finalReads() throws InterruptedException {
        try (KvClient kv = new KvClient(roster, key, 0, KvClient.ATTEMPT_TIMEOUT_MS_DEFAULT, KvClient.OPERATION_TIMEOUT_MS_DEFAULT)) {
            for (String k : KEYS) {
                get(kv, -1, k);
            }
        }
    }

    // ---------------------------------------------------------------- publishers

    private void publishLoop(int publisher) throws InterruptedException {
        Commander commander = new Commander(roster, key, PUBLISH_REQUEST_TIMEOUT_MS);
        String zone = zone(publisher);
        for (long serial = 1; running; serial++) {
            byte[] content = zoneFile(zone, serial);
            CommandBuilder builder = commander.builder();
            builder.putZoneFile(zone, content);
            byte[] signed = builder.sign(dnsSeqs.getAndIncrement());
            long invoke = System.nanoTime();
            PublishOutcome outcome = commander.execute(Map.of(zone, content), signed);
            long complete = System.nanoTime();
            Operation.Outcome how = outcome instanceof PublishOutcome.Done ? Operation.Outcome.OK
                    : outcome instanceof PublishOutcome.Refused ? Operation.Outcome.FAIL : Operation.Outcome.UNKNOWN;
            history.record(new Operation(history.nextId(), 100 + publisher, Operation.Kind.PUT, zoneKey(zone),
                    Long.toString(serial), null, invoke, complete, how, null));
            Thread.sleep(PUBLISH_PAUSE_MS);
        }
    }

    /** The key under which a zone's publishes are checked as a register of serials. */
    public static String zoneKey(String zone) {
        return "zone " + zone;
    }

    static byte[] zoneFile(String zone, long serial) {
        return ("$ORIGIN " + zone + "\n$TTL 60\n@ IN SOA ns1 hostmaster " + serial + " 3600 600 604800 60\n"
                + "@ IN NS ns1\nns1 IN A 192.0.2.1\nv IN TXT \"" + serial + "\"\n").getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- DNS readers

    private void readLoop(int node, List<String> zones) throws InterruptedException {
        InetSocketAddress dns = roster.server(node).dns().toSocketAddress();
        String name = roster.server(node).name();
        while (running) {
            for (String zone : zones) {
                OptionalLong serial = DnsProbe.soaSerial(dns, zone, Duration.ofMillis(DNS_TIMEOUT_MS));
                if (serial.isPresent()) {
                    history.served(name, zone, serial.getAsLong());
                }
            }
            Thread.sleep(READ_PAUSE_MS);
        }
    }
}
