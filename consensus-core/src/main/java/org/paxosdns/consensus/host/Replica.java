package org.paxosdns.consensus.host;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.paxosdns.consensus.Ballot;
import org.paxosdns.consensus.Durable;
import org.paxosdns.consensus.DurableState;
import org.paxosdns.consensus.EngineConfig;
import org.paxosdns.consensus.EngineStatus;
import org.paxosdns.consensus.Message;
import org.paxosdns.consensus.PaxosCodec;
import org.paxosdns.consensus.PaxosCodecException;
import org.paxosdns.consensus.PaxosEngine;
import org.paxosdns.consensus.ProposeResult;
import org.paxosdns.consensus.Ready;
import org.paxosdns.consensus.SlotValue;
import org.paxosdns.consensus.Snapshot;
import org.paxosdns.consensus.wal.SnapshotFiles;
import org.paxosdns.consensus.wal.WalFatalError;
import org.paxosdns.consensus.wal.WalRecord;
import org.paxosdns.consensus.wal.WriteAheadLog;

/**
 * Runs one {@link PaxosEngine} for real: inbound messages and proposals are queued, then drained
 * into the engine, and each {@link Ready} is carried out (send, append to the write-ahead log with
 * one force per batch, send what needed the force, apply chosen commands to the {@link StateMachine},
 * advance). The engine is driven under one lock by whichever thread finds it free: the thread that
 * queued the work (a mesh event loop with a peer's message, a commander thread with a proposal) runs
 * up to {@link #inlineRoundsMax} rounds itself, and the replica's own thread keeps time and takes
 * over what is left. Each proposal is wrapped in an {@link Envelope} so its application on this node
 * completes its future. A failed fsync stops the replica ({@link ReplicaStatus#fatalError()}).
 */
public final class Replica implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Replica.class.getName());
    /** Messages and proposals waiting for the engine. */
    public static final int inboundQueueMax = 16_384;
    /** A proposal not applied on this node within this time fails with TIMED_OUT (outcome unknown). */
    public static final long proposalTimeoutMs = 10_000;
    /** Proposals this node has in flight. */
    public static final int proposalsInFlightMax = 65_536;
    /**
     * A snapshot is also taken once the values applied since the last one reach this many bytes
     * (besides every {@code snapshotEverySlots} slots). The engine keeps every value above its
     * snapshot in memory for peers that need to catch up, and under full load a slot is a batch of
     * up to 64 KiB: 10,000 slots could hold 640 MiB, more than a node's heap. A bench run of 80,000
     * writes (about 1,000 slots) left 170-200 MB live in a node's old generation, full collections
     * included.
     */
    public static final long snapshotEveryAppliedBytes = 16L << 20;
    /**
     * Rounds (drain the queue, carry out every Ready) a thread that queued work runs on the engine
     * before it hands the rest to the replica's thread, so a busy engine cannot keep a mesh event
     * loop or a commander thread from its own work for long. Two rounds cover one write at a time:
     * a leader's accept with its force, then the acknowledgements that arrived meanwhile.
     */
    public static final int inlineRoundsMax = 2;

    private final ReplicaConfig cfg;
    private final StateMachine sm;
    private final Transport transport;
    private final WriteAheadLog wal;
    private final PaxosEngine engine;
    private final BlockingQueue<Object> inbound = new ArrayBlockingQueue<>(inboundQueueMax);
    private final Map<Long, Proposal> inFlight = new LinkedHashMap<>();
    private final AtomicLong droppedMessages = new AtomicLong();
    private final AtomicLong nextProposalId;
    private final HardState hardState;
    /** Held by whichever thread drives the engine; guards the engine, the log and the fields below. */
    private final ReentrantLock engineLock = new ReentrantLock();
    private long decodeErrors;
    private long proposalsTimedOut;
    private long snapshotsTaken;
    private long lastSnapshotSlot;
    private long appliedBytesSinceSnapshot;
    private volatile ReplicaStatus status;
    private volatile boolean running;
    private volatile String fatalError;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile Thread thread;
    /**
     * Set when a thread left work behind for the replica's thread (the engine is busy: work arrives
     * faster than rounds end); until that thread finds the queue empty, other threads only queue,
     * so under load one thread runs the engine and batches, as before, and the event loops and
     * commander threads keep to their own work.
     */
    private volatile boolean engineThreadOwns;

    private record Inbound(int from, byte[] bytes) { }

    private record PeerLost(int peer) { }

    private record Proposal(long id, int kind, byte[] command, long deadlineNanos, CompletableFuture<byte[]> reply,
            CompletableFuture<Long> barrier) { }

    /** The durable promise and voter mark, restated at the start of every log segment. */
    private static final class HardState {
        private Ballot promised = Ballot.ZERO;
        private boolean voter;

        void note(Durable d) {
            if (d instanceof Durable.Promised p) {
                promised = Ballot.max(promised, p.ballot());
            } else if (d instanceof Durable.Accepted a) {
                promised = Ballot.max(promised, a.ballot());
            } else if (d instanceof Durable.VoterMark) {
                voter = true;
            }
        }

        List<WalRecord> checkpoint() {
            List<WalRecord> out = new ArrayList<>();
            out.add(new WalRecord(0, PaxosCodec.encodeRecord(new Durable.Promised(promised))));
            if (voter) {
                out.add(new WalRecord(0, PaxosCodec.encodeRecord(new Durable.VoterMark())));
            }
            return out;
        }
    }

    private Replica(ReplicaConfig cfg, StateMachine sm, Transport transport, WriteAheadLog wal, PaxosEngine engine,
            HardState hardState) {
        this.cfg = cfg;
        this.hardState = hardState;
        this.sm = sm;
        this.transport = transport;
        this.wal = wal;
        this.engine = engine;
        this.nextProposalId = new AtomicLong(System.currentTimeMillis() << 20);
    }

    /** Recovers the snapshot and write-ahead log in {@code cfg.appDir()} and replays them into {@code sm}. */
    public static Replica open(ReplicaConfig cfg, StateMachine sm, Transport transport) throws IOException {
        Snapshot snapshot = SnapshotFiles.loadLatest(cfg.appDir(), cfg.appNdx());
        HardState hardState = new HardState();
        WriteAheadLog wal = WriteAheadLog.open(cfg.appDir(), WriteAheadLog.segmentBytesDefault, hardState::checkpoint);
        List<Durable> records = decodeAll(wal.recovered());
        records.forEach(hardState::note);
        if (snapshot != null) {
            sm.restore(snapshot.data());
        }
        EngineConfig ec = new EngineConfig(cfg.appNdx(), cfg.selfIndex(), cfg.clusterSize(), cfg.heartbeatTicks(),
                cfg.electionTicksMin(), cfg.electionTicksMax(), cfg.bootstrapped());
        PaxosEngine engine = new PaxosEngine(ec, DurableState.replay(snapshot, records), new SplittableRandom(cfg.randomSeed()));
        Replica replica = new Replica(cfg, sm, transport, wal, engine, hardState);
        replica.running = true;
        replica.lastSnapshotSlot = snapshot == null ? 0 : snapshot.lastSlot();
        while (engine.hasReady()) {
            replica.handleReady(engine.ready());
        }
        replica.publishStatus();
        return replica;
    }

    private static List<Durable> decodeAll(List<WalRecord> raw) throws IOException {
        List<Durable> out = new ArrayList<>(raw.size());
        for (WalRecord r : raw) {
            try {
                out.add(PaxosCodec.decodeRecord(r.payload()));
            } catch (PaxosCodecException e) {
                throw new IOException("write-ahead log record does not decode: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * Starts the engine thread, which also keeps time (one tick every {@code tickMs}). Messages and
     * proposals arriving between {@link #open} and this call wait in the bounded inbound queue.
     */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("replica already started");
        }
        Thread t = new Thread(this::loop, "paxos-app" + cfg.appNdx() + "-node" + cfg.selfIndex());
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /**
     * Hands a message from a peer to the engine, on the calling thread when the engine is free (see
     * {@link #inlineRoundsMax}); drops (and counts) it when the queue is full.
     */
    public void onMessage(int fromNodeIndex, byte[] message) {
        queueMessage(fromNodeIndex, message);
        runQueued();
    }

    /**
     * Queues a message from a peer without running the engine; drops (and counts) it when the queue
     * is full. The caller calls {@link #runQueued} after the messages at hand (the mesh: after each
     * socket read), so messages that arrived together are carried out together, with one force.
     */
    public void queueMessage(int fromNodeIndex, byte[] message) {
        if (fromNodeIndex < 0 || fromNodeIndex >= cfg.clusterSize() || fromNodeIndex == cfg.selfIndex()
                || !running || !inbound.offer(new Inbound(fromNodeIndex, message))) {
            droppedMessages.incrementAndGet();
        }
    }

    /**
     * Tells the engine the connection to a peer was lost (from the mesh's peer listener), so a
     * follower whose leader's connection closed starts an election at once; see
     * {@link PaxosEngine#peerLost}.
     */
    public void peerLost(int peerIndex) {
        if (peerIndex < 0 || peerIndex >= cfg.clusterSize() || !running || !inbound.offer(new PeerLost(peerIndex))) {
            droppedMessages.incrementAndGet();
            return;
        }
        LockSupport.unpark(thread); // the mesh calls this holding its own locks: not run inline
    }

    /**
     * Proposes a command. The future completes with the state machine's reply once the command is
     * applied on this node (a follower forwards it to the leader), or fails with a
     * {@link ProposalException}.
     */
    public CompletableFuture<byte[]> propose(byte[] command) {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        enqueue(new Proposal(nextProposalId.getAndIncrement(), Envelope.kindCommand, command.clone(), deadline(), reply, null),
                reply);
        return reply;
    }

    /**
     * A linearizable read barrier: completes with a slot once this node has applied everything chosen
     * before the call. Implemented as a no-op entry through the log (confirmed by a majority when it
     * is chosen), not etcd's heartbeat-based read index: it costs a slot, shared by a batch.
     */
    public CompletableFuture<Long> readIndex() {
        CompletableFuture<Long> barrier = new CompletableFuture<>();
        enqueue(new Proposal(nextProposalId.getAndIncrement(), Envelope.kindBarrier, new byte[0], deadline(), null, barrier),
                barrier);
        return barrier;
    }

    private long deadline() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(proposalTimeoutMs);
    }

    private void enqueue(Proposal p, CompletableFuture<?> future) {
        if (!running) {
            future.completeExceptionally(new ProposalException(ProposalException.Reason.CLOSED, "replica not running"));
        } else if (!inbound.offer(p)) {
            future.completeExceptionally(new ProposalException(ProposalException.Reason.QUEUE_FULL, "inbound queue full"));
        } else {
            runQueued();
        }
    }

    /**
     * Completes when the engine thread ends: normally after {@link #close()}, exceptionally with the
     * cause when it stopped on a fatal error (a failed fsync: the server should exit).
     */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** The replica's state as of the engine's last round. */
    public ReplicaStatus status() {
        return status;
    }

    /**
     * Stops the engine thread (it is unparked, not interrupted, since an interrupt closes a
     * FileChannel mid-write), fails proposals still in flight, and closes the log.
     */
    @Override
    public void close() {
        running = false;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        engineLock.lock();
        try {
            failAll(ProposalException.Reason.CLOSED, "replica closed");
            if (t == null) {
                terminated.complete(null);
            }
            wal.close();
        } catch (IOException e) {
            fatalError = "closing the log: " + e;
        } finally {
            engineLock.unlock();
        }
    }

    // ---------------------------------------------------------------- engine thread

    /**
     * The replica's own thread: ticks, and runs the engine whenever work is queued that no other
     * thread is running. It parks until the next tick otherwise; threads that leave work behind
     * unpark it.
     */
    private void loop() {
        long tickNanos = TimeUnit.MILLISECONDS.toNanos(cfg.tickMs());
        long nextTick = System.nanoTime() + tickNanos;
        try {
            while (running) {
                engineLock.lock();
                try {
                    if (running && System.nanoTime() - nextTick >= 0) {
                        engine.tick();
                        nextTick += tickNanos;
                        expireProposals();
                        wal.commit(); // chosen marks left unforced (see mustForce) are durable within a tick
                    }
                    if (running) {
                        round();
                    }
                } finally {
                    engineLock.unlock();
                }
                if (inbound.isEmpty()) {
                    engineThreadOwns = false; // before the second look: a thread that still saw it set queued before it
                    if (inbound.isEmpty()) {
                        LockSupport.parkNanos(this, Math.max(0, nextTick - System.nanoTime()));
                    }
                }
            }
            engineLock.lock();
            try {
                if (fatalError == null) {
                    wal.commit();
                }
            } finally {
                engineLock.unlock();
            }
        } catch (WalFatalError | IOException | RuntimeException e) {
            stop(e);
        } finally {
            engineLock.lock();
            try {
                failAll(ProposalException.Reason.CLOSED, fatalError == null ? "replica closed" : fatalError);
            } finally {
                engineLock.unlock();
            }
            terminated.complete(null);
        }
    }

    /**
     * Runs what is queued on the calling thread if no other thread is running the engine: at most
     * {@link #inlineRoundsMax} rounds, then what is still queued goes to the replica's thread. A
     * thread already inside the engine (a state machine callback proposing again, an in-memory
     * transport delivering back) only queues: its own round picks the work up. When another thread
     * holds the engine, it looks at the queue again after letting go, so nothing queued here waits
     * for a tick. While the replica's thread owns the engine (work was left behind for it and it has
     * not yet found the queue empty), the work is its: under load one thread batches.
     */
    public void runQueued() {
        Thread engineThread = thread;
        if (engineThread == null || engineThreadOwns || engineLock.isHeldByCurrentThread() || !engineLock.tryLock()) {
            return;
        }
        try {
            for (int rounds = 0; rounds < inlineRoundsMax && running && !inbound.isEmpty(); rounds++) {
                round();
            }
        } catch (WalFatalError | IOException | RuntimeException e) {
            stop(e);
        } finally {
            engineLock.unlock();
        }
        if (!inbound.isEmpty() || !running) {
            engineThreadOwns = true;
            LockSupport.unpark(engineThread);
        }
    }

    /** One round of the engine: every queued event, then every Ready it produced. Holds the engine lock. */
    private void round() throws IOException {
        drainInbound();
        while (engine.hasReady()) {
            handleReady(engine.ready());
        }
        publishStatus();
    }

    /** A fatal error (a failed fsync): the replica stops; the replica's thread fails what is in flight. */
    private void stop(Throwable e) {
        fatalError = e.toString();
        running = false;
        publishStatus();
        terminated.completeExceptionally(e);
    }

    private void drainInbound() {
        Object next;
        int handled = 0;
        while (handled++ < inboundQueueMax && (next = inbound.poll()) != null) {
            handle(next);
        }
    }

    private void handle(Object event) {
        if (event instanceof Inbound in) {
            try {
                PaxosCodec.Decoded d = PaxosCodec.decode(in.bytes());
                if (d.appNdx() == cfg.appNdx()) {
                    engine.step(in.from(), d.message());
                } else {
                    decodeErrors++;
                }
            } catch (PaxosCodecException e) {
                decodeErrors++;
            }
        } else if (event instanceof Proposal p) {
            propose(p);
        } else if (event instanceof PeerLost l) {
            engine.peerLost(l.peer());
        }
    }

    private void propose(Proposal p) {
        if (inFlight.size() >= proposalsInFlightMax) {
            fail(p, ProposalException.Reason.QUEUE_FULL, proposalsInFlightMax + " proposals in flight");
            return;
        }
        ProposeResult r = engine.propose(new Envelope(p.kind(), cfg.selfIndex(), p.id(), p.command()).encode());
        switch (r) {
            case QUEUED, FORWARDED -> inFlight.put(p.id(), p);
            case NO_LEADER -> fail(p, ProposalException.Reason.NO_LEADER, "no leader known");
            case QUEUE_FULL -> fail(p, ProposalException.Reason.QUEUE_FULL, "engine queue full");
            case TOO_LARGE -> fail(p, ProposalException.Reason.TOO_LARGE, p.command().length + " bytes");
            default -> throw new IllegalStateException("unknown propose result " + r);
        }
    }

    /**
     * Carries out one Ready. Committed slots are applied before the force, not after it as
     * {@link Ready} lists: a committed slot is chosen, so a majority already holds it durably, and
     * applying it (and answering its proposer) waits for nothing this node is about to write: its
     * own chosen mark or a value it learned. Applying after the force put a second fsync on every
     * write's path at the leader (the first for the accept, the second for the chosen mark). The
     * state machine is volatile and rebuilt from the durable log and snapshots, which are written
     * only after the force. Everything that vouches for this node's own records still waits.
     * A state machine {@linkplain StateMachine#visibleAcrossCrashes() visible across crashes} is
     * the exception: its slots are applied after a force that includes their chosen marks, so what
     * it served before a crash it serves again from its own log right after the restart.
     */
    private void handleReady(Ready rd) throws IOException {
        send(rd.sendNow());
        boolean applyAfterForce = sm.visibleAcrossCrashes();
        if (rd.snapshot() == null && !applyAfterForce) {
            applyCommitted(rd);
        }
        for (Durable d : rd.persist()) {
            wal.append(d.slot(), PaxosCodec.encodeRecord(d));
            hardState.note(d);
        }
        if (mustForce(rd) || (applyAfterForce && !rd.committed().isEmpty())) {
            if (!rd.sendNow().isEmpty()) {
                transport.flush(); // a leader's accepts leave before its own force, even from an event loop
            }
            wal.commit();
        }
        send(rd.sendAfterPersist());
        if (rd.snapshot() != null) {
            sm.restore(rd.snapshot().data());
            saveSnapshot(rd.snapshot());
            applyCommitted(rd);
        } else if (applyAfterForce) {
            applyCommitted(rd); // their chosen marks were forced above (the same or an earlier Ready appended them)
        }
        engine.advance(rd);
        long applied = engine.status().appliedThrough();
        if (applied - lastSnapshotSlot >= cfg.snapshotEverySlots()
                || (applied > lastSnapshotSlot && appliedBytesSinceSnapshot >= snapshotEveryAppliedBytes)) {
            byte[] data = sm.snapshot();
            saveSnapshot(new Snapshot(cfg.appNdx(), applied, data));
            engine.compact(applied, data);
        }
    }

    /**
     * False when the Ready persists only chosen marks and sends nothing that vouches for them: the
     * marks then wait in the log's buffer and are forced with the next batch that must be, at the
     * next tick, or when the replica closes (the log keeps their order; a crash before loses only
     * the marks, and the node learns again from its peers which slots are chosen). Forcing them alone
     * cost every write a second fsync on each node, and an accept arriving meanwhile waited for it.
     */
    private static boolean mustForce(Ready rd) {
        if (!rd.sendAfterPersist().isEmpty()) {
            return true;
        }
        for (Durable d : rd.persist()) {
            if (!(d instanceof Durable.ChosenThrough)) {
                return true;
            }
        }
        return false;
    }

    private void applyCommitted(Ready rd) {
        for (Ready.Committed c : rd.committed()) {
            applySlot(c.slot(), c.value());
        }
    }

    private void saveSnapshot(Snapshot snapshot) throws IOException {
        SnapshotFiles.write(cfg.appDir(), snapshot);
        wal.deleteSegmentsThrough(snapshot.lastSlot());
        lastSnapshotSlot = snapshot.lastSlot();
        appliedBytesSinceSnapshot = 0;
        snapshotsTaken++;
    }

    private void applySlot(long slot, SlotValue value) {
        appliedBytesSinceSnapshot += value.wireBytesBound();
        for (byte[] raw : value.commands()) {
            Envelope e = Envelope.decode(raw);
            if (e == null) {
                decodeErrors++;
                continue;
            }
            byte[] reply = e.kind() == Envelope.kindCommand ? sm.apply(slot, e.command()) : null;
            Proposal p = e.proposer() == cfg.selfIndex() ? inFlight.remove(e.id()) : null;
            if (p != null && p.reply() != null) {
                p.reply().complete(reply);
            } else if (p != null) {
                p.barrier().complete(slot);
            }
        }
    }

    /**
     * Sends each message, encoding it once: a broadcast (an accept to every peer) lists one message
     * per peer, and encoding a batch again for each copied every command in it once more. The
     * transport keeps the bytes as they are, so peers can share them.
     */
    private void send(List<Ready.Outbound> outbound) {
        Message encodedMessage = null;
        byte[] encoded = null;
        for (Ready.Outbound out : outbound) {
            try {
                if (out.message() != encodedMessage) {
                    encoded = PaxosCodec.encode(cfg.appNdx(), out.message());
                    encodedMessage = out.message();
                }
                transport.send(out.to(), encoded);
            } catch (RuntimeException e) {
                droppedMessages.incrementAndGet();
            }
        }
    }

    private void expireProposals() {
        long now = System.nanoTime();
        Iterator<Proposal> it = inFlight.values().iterator();
        while (it.hasNext()) {
            Proposal p = it.next();
            if (now - p.deadlineNanos() < 0) {
                break;
            }
            it.remove();
            proposalsTimedOut++;
            fail(p, ProposalException.Reason.TIMED_OUT, "not applied within " + proposalTimeoutMs + " ms");
        }
    }

    private void fail(Proposal p, ProposalException.Reason reason, String why) {
        ProposalException e = new ProposalException(reason, why);
        if (p.reply() != null) {
            p.reply().completeExceptionally(e);
        } else {
            p.barrier().completeExceptionally(e);
        }
    }

    private void failAll(ProposalException.Reason reason, String why) {
        inFlight.values().forEach(p -> fail(p, reason, why));
        inFlight.clear();
        Object queued;
        while ((queued = inbound.poll()) != null) {
            if (queued instanceof Proposal p) {
                fail(p, reason, why);
            }
        }
    }

    private void publishStatus() {
        EngineStatus s = engine.status();
        ReplicaStatus before = status;
        if (before != null && (before.role() != s.role() || before.leaderIndex() != s.leaderIndex())) {
            LOG.log(System.Logger.Level.INFO, "app {0} node {1}: {2} (leader {3})", cfg.appNdx(), cfg.selfIndex(), s.role(),
                    s.leaderIndex());
        }
        status = new ReplicaStatus(s.role(), s.leaderIndex(), s.appliedThrough(), s.chosenThrough(), s.promised(),
                s.voter(), droppedMessages.get(), engine.droppedCommands(), decodeErrors, wal.fsyncs(), proposalsTimedOut,
                snapshotsTaken, fatalError);
    }
}
