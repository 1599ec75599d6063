package org.paxosdns.consensus.bench;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.paxosdns.consensus.DurableState;
import org.paxosdns.consensus.EngineConfig;
import org.paxosdns.consensus.PaxosCodec;
import org.paxosdns.consensus.PaxosCodecException;
import org.paxosdns.consensus.PaxosEngine;
import org.paxosdns.consensus.ProposeResult;
import org.paxosdns.consensus.Ready;
import org.paxosdns.consensus.Role;

/**
 * Throughput of the engine alone: a 3-replica cluster in one thread, messages passed in memory
 * (optionally through the protobuf codec), persistence free, 64-byte commands proposed at the
 * leader in bursts. Prints commands applied per second on every replica. Not run by the build:
 * see bench/engine.sh. Arguments: seconds (default 10), "codec" to encode and decode every message.
 */
public final class EngineBench {
    private static final int replicas = 3;
    private static final int commandBytes = 64;
    private static final int burst = 4096;

    private record Envelope(int from, int to, Object message) { }

    private final PaxosEngine[] engines = new PaxosEngine[replicas];
    private final ArrayDeque<Envelope> network = new ArrayDeque<>();
    private final long[] appliedCommands = new long[replicas];
    private final boolean codec;

    private EngineBench(boolean codec) {
        this.codec = codec;
        for (int i = 0; i < replicas; i++) {
            engines[i] = new PaxosEngine(new EngineConfig(1, i, replicas, 2, 10, 20, true), DurableState.empty(),
                    new SplittableRandom(i));
        }
    }

    public static void main(String[] args) throws PaxosCodecException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        boolean codec = args.length > 1 && args[1].equals("codec");
        EngineBench bench = new EngineBench(codec);
        int leader = bench.electLeader();
        bench.run(leader, 2.0);
        long start = System.nanoTime();
        long before = bench.appliedCommands[2];
        bench.run(leader, seconds);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long applied = bench.appliedCommands[2] - before;
        System.out.printf("engine: replicas=%d commandBytes=%d codec=%s seconds=%.1f commands=%d commands/s=%.0f%n",
                replicas, commandBytes, codec, elapsed, applied, applied / elapsed);
    }

    private int electLeader() throws PaxosCodecException {
        for (int round = 0; round < 10_000; round++) {
            for (PaxosEngine e : engines) {
                e.tick();
            }
            pump();
            for (int i = 0; i < replicas; i++) {
                if (engines[i].status().role() == Role.LEADER) {
                    return i;
                }
            }
        }
        throw new IllegalStateException("no leader elected");
    }

    private void run(int leader, double seconds) throws PaxosCodecException {
        byte[] command = new byte[commandBytes];
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            for (int k = 0; k < burst; k++) {
                command[0] = (byte) k;
                if (engines[leader].propose(command) != ProposeResult.QUEUED) {
                    break;
                }
            }
            pump();
        }
    }

    /** Processes every engine's Ready and delivers messages until the cluster is quiet. */
    private void pump() throws PaxosCodecException {
        boolean busy = true;
        while (busy) {
            busy = false;
            for (int i = 0; i < replicas; i++) {
                while (engines[i].hasReady()) {
                    busy = true;
                    Ready rd = engines[i].ready();
                    enqueue(i, rd);
                    for (Ready.Committed c : rd.committed()) {
                        appliedCommands[i] += c.value().commands().size();
                    }
                    engines[i].advance(rd);
                    compactEvery(i, 256);
                }
            }
            while (!network.isEmpty()) {
                busy = true;
                Envelope e = network.poll();
                engines[e.to].step(e.from, message(e.message));
            }
        }
    }

    /** Drops the log below the applied point now and then, as a host taking snapshots would. */
    private void compactEvery(int i, long slots) {
        long applied = engines[i].status().appliedThrough();
        if (applied - engines[i].status().snapshotSlot() >= slots) {
            engines[i].compact(applied, new byte[0]);
        }
    }

    private void enqueue(int from, Ready rd) {
        for (Ready.Outbound o : rd.sendNow()) {
            network.add(new Envelope(from, o.to(), codec ? PaxosCodec.encode(1, o.message()) : o.message()));
        }
        for (Ready.Outbound o : rd.sendAfterPersist()) {
            network.add(new Envelope(from, o.to(), codec ? PaxosCodec.encode(1, o.message()) : o.message()));
        }
    }

    private static org.paxosdns.consensus.Message message(Object m) throws PaxosCodecException {
        return m instanceof byte[] bytes ? PaxosCodec.decode(bytes).message() : (org.paxosdns.consensus.Message) m;
    }
}
