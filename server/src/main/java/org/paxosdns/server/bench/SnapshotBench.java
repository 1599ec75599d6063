package org.paxosdns.server.bench;

import com.google.protobuf.ByteString;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.paxosdns.consensus.Ballot;
import org.paxosdns.consensus.DurableState;
import org.paxosdns.consensus.EngineConfig;
import org.paxosdns.consensus.Message;
import org.paxosdns.consensus.PaxosCodec;
import org.paxosdns.consensus.PaxosCodecException;
import org.paxosdns.consensus.PaxosEngine;
import org.paxosdns.consensus.Ready;
import org.paxosdns.consensus.Snapshot;
import org.paxosdns.consensus.wal.SnapshotFiles;
import org.paxosdns.identity.Roster;
import org.paxosdns.proto.Command;
import org.paxosdns.proto.FormatVersion;
import org.paxosdns.proto.PutZone;
import org.paxosdns.proto.SignedCommand;
import org.paxosdns.proto.ZoneOp;
import org.paxosdns.zonestore.command.CommandLimits;
import org.paxosdns.zonestore.state.ZoneStateMachine;

/**
 * The DNS state machine's snapshot at scale: fills a {@link ZoneStateMachine} with many zones
 * (commands of {@link CommandLimits#OPS_PER_COMMAND_MAX} puts, then single puts until the
 * commander's exactly-once window is full), then times taking the snapshot, restoring it into a
 * fresh state machine, writing and reading it as the replica's snapshot file (forced), and sending
 * it through the consensus engine's chunked snapshot transfer
 * (a source engine holding it, an empty replica pulling it chunk by chunk, every message encoded
 * and decoded; no sockets) followed by the restore. Commands are applied unsigned: signatures
 * are checked where a command enters the cluster, never in apply.
 */
public final class SnapshotBench {
    /** Times each measurement is repeated (the best is reported: the first runs are JIT warm-up). */
    static final int REPEATS = 5;
    /** Engine messages one transfer may take before it is declared stuck. */
    static final int TRANSFER_MESSAGES_MAX = 1_000_000;

    /** What one run measured. */
    public record Result(int zones, long stateNdx, int snapshotBytes, double fillSeconds, double takeSeconds,
            double writeSeconds, double loadSeconds, double restoreSeconds, double transferSeconds, int transferMessages) {
    }

    private SnapshotBench() {
    }

    /** Fills, snapshots, restores and transfers a state of {@code zones} zones of the roster's first commander. */
    public static Result run(Roster roster, int zones, Path scratch, PrintStream log) throws Exception {
        String commander = roster.commanders().get(0).id();
        ZoneStateMachine machine = new ZoneStateMachine(roster);
        long t0 = System.nanoTime();
        long seq = fill(machine, roster.clusterId(), commander, zones);
        double fill = (System.nanoTime() - t0) / 1e9;
        log.printf("bench: %d zones applied in %.2f s (%d commands)%n", machine.state().zoneCount(), fill, seq);
        if (machine.state().zoneCount() != zones) {
            throw new IllegalStateException("state holds " + machine.state().zoneCount() + " zones, not " + zones);
        }
        byte[] snapshot = null;
        double take = Double.MAX_VALUE;
        double restore = Double.MAX_VALUE;
        double transfer = Double.MAX_VALUE;
        double write = Double.MAX_VALUE;
        double load = Double.MAX_VALUE;
        int messages = 0;
        for (int i = 0; i < REPEATS; i++) {
            long start = System.nanoTime();
            snapshot = machine.snapshot();
            take = Math.min(take, (System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            SnapshotFiles.write(scratch, new Snapshot(1, seq + i, snapshot));
            write = Math.min(write, (System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            byte[] loaded = SnapshotFiles.loadLatest(scratch, 1).data();
            load = Math.min(load, (System.nanoTime() - start) / 1e9);
            if (!Arrays.equals(loaded, snapshot)) {
                throw new IllegalStateException("snapshot file read back differs");
            }
            start = System.nanoTime();
            ZoneStateMachine fresh = new ZoneStateMachine(roster);
            fresh.restore(snapshot);
            restore = Math.min(restore, (System.nanoTime() - start) / 1e9);
            check(machine, fresh);
            start = System.nanoTime();
            Transfer received = transfer(snapshot, seq);
            messages = received.messages();
            ZoneStateMachine wiped = new ZoneStateMachine(roster);
            wiped.restore(received.snapshot().data());
            transfer = Math.min(transfer, (System.nanoTime() - start) / 1e9);
            check(machine, wiped);
            log.printf("bench: round %d (best so far): take %.3f s, file write %.3f s, file load %.3f s, restore %.3f s, "
                    + "transfer+restore %.3f s%n", i + 1, take, write, load, restore, transfer);
        }
        return new Result(zones, machine.stateNdx(), snapshot.length, fill, take, write, load, restore, transfer, messages);
    }

    private static void check(ZoneStateMachine expected, ZoneStateMachine actual) {
        if (!Arrays.equals(expected.stateDigest(), actual.stateDigest())) {
            throw new IllegalStateException("restored state differs from the original");
        }
    }

    /** Applies puts of {@code zones} zones, then single puts until the exactly-once window is full; returns the last seq. */
    private static long fill(ZoneStateMachine machine, byte[] clusterId, String commander, int zones) throws Exception {
        long seq = 0;
        List<ZoneOp> ops = new ArrayList<>();
        for (int i = 0; i < zones; i++) {
            ops.add(put(i, 1));
            if (ops.size() == CommandLimits.OPS_PER_COMMAND_MAX || i == zones - 1) {
                machine.applyCommand(command(clusterId, commander, ++seq, ops));
                ops.clear();
            }
        }
        for (int i = 0; i < CommandLimits.DEDUP_WINDOW_SEQS_MAX; i++) {
            machine.applyCommand(command(clusterId, commander, ++seq, List.of(put(i % zones, 2))));
        }
        return seq;
    }

    private static ZoneOp put(int zone, int serial) throws Exception {
        String fqdn = "z" + zone + ".bench.example.";
        byte[] hash = MessageDigest.getInstance("SHA3-256").digest((fqdn + serial).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return ZoneOp.newBuilder().setPutZone(PutZone.newBuilder().setFqdn(fqdn).setContentHash(ByteString.copyFrom(hash))
                .setSoaSerial(serial)).build();
    }

    private static byte[] command(byte[] clusterId, String commander, long seq, List<ZoneOp> ops) {
        Command command = Command.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setClusterId(ByteString.copyFrom(clusterId)).setAppNdx(1).setCommanderId(commander)
                .setSeq(seq).setSalt(ByteString.copyFromUtf8("bench")).addAllOps(ops).build();
        return SignedCommand.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setCommand(command.toByteString()).setSig(ByteString.copyFromUtf8("unsigned: applied directly")).build()
                .toByteArray();
    }

    /** A snapshot as the replica's engine handed it over, and the engine messages it took. */
    private record Transfer(Snapshot snapshot, int messages) {
    }

    /**
     * Node 0 holds the snapshot (through {@code lastSlot}); node 1 starts empty and hears that
     * everything through {@code lastSlot} is chosen: it pulls the snapshot in chunks, as a
     * restarted or wiped replica does.
     */
    private static Transfer transfer(byte[] data, long lastSlot) throws PaxosCodecException {
        Snapshot held = new Snapshot(1, lastSlot, data);
        PaxosEngine source = new PaxosEngine(config(0), DurableState.replay(held, List.of()), new SplittableRandom(0));
        PaxosEngine replica = new PaxosEngine(config(1), DurableState.empty(), new SplittableRandom(1));
        replica.step(0, new Message.Heartbeat(new Ballot(1, 0), lastSlot));
        int messages = 0;
        while (messages < TRANSFER_MESSAGES_MAX) {
            Ready rd = replica.ready();
            Snapshot installed = rd.snapshot();
            List<Message> toSource = outbound(rd, 0);
            replica.advance(rd);
            if (installed != null) {
                return new Transfer(installed, messages);
            }
            for (Message m : toSource) {
                source.step(1, m);
            }
            Ready srd = source.ready();
            List<Message> toReplica = outbound(srd, 1);
            source.advance(srd);
            messages += toSource.size() + toReplica.size();
            for (Message m : toReplica) {
                replica.step(0, m);
            }
        }
        throw new IllegalStateException("snapshot transfer did not complete within " + TRANSFER_MESSAGES_MAX + " messages");
    }

    /** Messages of a Ready addressed to {@code to}, through the codec as on the wire. */
    private static List<Message> outbound(Ready rd, int to) throws PaxosCodecException {
        List<Message> out = new ArrayList<>();
        List<Ready.Outbound> all = new ArrayList<>(rd.sendNow());
        all.addAll(rd.sendAfterPersist());
        for (Ready.Outbound o : all) {
            if (o.to() == to) {
                out.add(PaxosCodec.decode(PaxosCodec.encode(1, o.message())).message());
            }
        }
        return out;
    }

    private static EngineConfig config(int self) {
        return new EngineConfig(1, self, 3, 2, 10, 20, true);
    }
}
