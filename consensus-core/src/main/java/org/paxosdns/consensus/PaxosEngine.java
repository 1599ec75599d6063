package org.paxosdns.consensus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * A Multi-Paxos replica for one application, as a pure state machine shaped like etcd's raft:
 * {@link #step}, {@link #tick} and {@link #propose} change its state, {@link #ready} tells the host
 * what to persist, send and apply (see {@link Ready} for the order), {@link #advance} acknowledges
 * it. No threads, clocks, IO or randomness of its own: time is ticks, randomness comes from the
 * seeded generator passed in. Not thread-safe: one thread drives it.
 */
public final class PaxosEngine {
    private final EngineConfig cfg;
    private final RandomGenerator random;
    private final int self;
    private final Set<Fault> faults;

    private Ballot promised;
    private long maxRoundSeen;
    private boolean voter;
    private long rejoinTarget = -1;
    private final Map<Integer, Message.RejoinInfo> rejoinInfos = new HashMap<>();
    private int rejoinElapsed = Integer.MAX_VALUE / 2;
    private final Map<Long, LogSlot> log = new HashMap<>();
    private long maxLogSlot;
    private long chosenThrough;
    private long appliedThrough;
    private Snapshot snapshot;

    private Role role = Role.FOLLOWER;
    private int leaderIndex = -1;
    private int electionElapsed;
    private int electionTimeout;
    private int leaderContactElapsed = Integer.MAX_VALUE / 2;
    private int heartbeatElapsed;

    private long preVoteRound;
    private int preVotes;
    private Ballot myBallot = Ballot.ZERO;
    private final Map<Integer, PromiseReport> promises = new HashMap<>();
    private long phase1From;
    private int candidateContactElapsed = Integer.MAX_VALUE / 2;
    private boolean selfPromiseDurable;

    private long nextSlot;
    private final TreeMap<Long, InFlight> inFlight = new TreeMap<>();
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private final ArrayDeque<byte[]> toForward = new ArrayDeque<>();
    private final long forwardEpoch;
    private long forwardSeq;
    private final Map<Integer, ReplayWindow> forwardsSeen = new HashMap<>();
    private int activePeers;
    private int checkQuorumElapsed;
    private long announcedChosen;

    private long knownChosen;
    private int catchupPeer = -1;
    private boolean catchupActive;
    private int catchupElapsed;
    private long catchupAskedSlot;
    private long catchupNextSlot;
    private long catchupAskedOffset;
    private long catchupNextOffset;
    private boolean catchupSnapshotMode;
    private SnapshotAssembly assembly;
    private Snapshot snapshotToInstall;

    private List<Durable> persist = new ArrayList<>();
    private List<Ready.Outbound> sendNow = new ArrayList<>();
    private List<Ready.Outbound> sendAfter = new ArrayList<>();
    private Ready outstanding;
    private long droppedCommands;

    /** A slot as this replica holds it. */
    private static final class LogSlot {
        Ballot ballot;
        SlotValue value;
        boolean chosen;

        LogSlot(Ballot ballot, SlotValue value, boolean chosen) {
            this.ballot = ballot;
            this.value = value;
            this.chosen = chosen;
        }
    }

    /**
     * What one promiser reported to this candidate, page by page: its accepted slots from
     * {@code phase1From} up to {@code next} (exclusive), or all of them once {@code complete}.
     */
    private static final class PromiseReport {
        final TreeMap<Long, Message.PromiseEntry> entries = new TreeMap<>();
        long chosenThrough;
        long next;
        boolean complete;

        PromiseReport(long from) {
            this.next = from;
        }

        /** Merges a page that starts where the report stands (or earlier); false if it leaves a gap. */
        boolean merge(Message.Promise page) {
            if (complete || page.fromSlot() > next) {
                return false;
            }
            chosenThrough = Math.max(chosenThrough, page.chosenThrough());
            for (Message.PromiseEntry e : page.entries()) {
                if (e.slot() >= page.fromSlot() && (page.resumeSlot() == 0 || e.slot() < page.resumeSlot())) {
                    entries.put(e.slot(), e);
                }
            }
            complete = page.resumeSlot() == 0;
            next = Math.max(next, page.resumeSlot());
            return true;
        }
    }

    /** A slot the leader proposed and has not yet seen chosen. */
    private static final class InFlight {
        final SlotValue value;
        int votes;
        int age;

        InFlight(SlotValue value) {
            this.value = value;
        }
    }

    /** A snapshot being received chunk by chunk. */
    private static final class SnapshotAssembly {
        final long lastSlot;
        final byte[] bytes;
        int received;

        SnapshotAssembly(long lastSlot, int totalBytes) {
            this.lastSlot = lastSlot;
            this.bytes = new byte[totalBytes];
        }
    }

    /** Starts an engine from what the node persisted (use {@link DurableState#empty()} for none). */
    public PaxosEngine(EngineConfig cfg, DurableState recovered, RandomGenerator random) {
        this(cfg, recovered, random, EnumSet.noneOf(Fault.class));
    }

    PaxosEngine(EngineConfig cfg, DurableState recovered, RandomGenerator random, Set<Fault> faults) {
        this.cfg = cfg;
        this.random = random;
        this.self = cfg.selfIndex();
        this.forwardEpoch = random.nextLong();
        this.faults = faults.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(faults);
        this.promised = faults.contains(Fault.FORGET_PROMISE_ON_RESTART) ? Ballot.ZERO : recovered.promised();
        this.maxRoundSeen = promised.round();
        this.snapshot = recovered.snapshot();
        this.chosenThrough = recovered.chosenThrough();
        this.appliedThrough = recovered.snapshotSlot();
        recovered.slots().forEach((slot, stored) -> putSlot(slot, new LogSlot(stored.ballot(), stored.value(), stored.chosen())));
        this.voter = recovered.voterMark() || cfg.bootstrapped();
        if (voter && !recovered.voterMark()) {
            persist.add(new Durable.VoterMark());
        }
        resetElectionTimer();
    }

    // ---------------------------------------------------------------- inputs

    /** Feeds a message received from node {@code from}. */
    public void step(int from, Message message) {
        if (from < 0 || from >= cfg.clusterSize() || from == self) {
            throw new IllegalArgumentException("message from node " + from + " at node " + self);
        }
        if (message instanceof Message.PreVote m) {
            onPreVote(from, m);
        } else if (message instanceof Message.PreVoteReply m) {
            onPreVoteReply(from, m);
        } else if (message instanceof Message.Prepare m) {
            onPrepare(from, m);
        } else if (message instanceof Message.Promise m) {
            onPromise(from, m);
        } else if (message instanceof Message.Accept m) {
            onAccept(from, m);
        } else if (message instanceof Message.Accepted m) {
            onAccepted(from, m);
        } else if (message instanceof Message.Nack m) {
            onNack(m);
        } else if (message instanceof Message.Heartbeat m) {
            onHeartbeat(from, m);
        } else if (message instanceof Message.HeartbeatReply m) {
            onHeartbeatReply(from, m);
        } else {
            stepCatchupOrForward(from, message);
        }
    }

    private void stepCatchupOrForward(int from, Message message) {
        if (message instanceof Message.CatchupRequest m) {
            onCatchupRequest(from, m);
        } else if (message instanceof Message.CatchupReply m) {
            onCatchupReply(from, m);
        } else if (message instanceof Message.SnapshotChunk m) {
            onSnapshotChunk(from, m);
        } else if (message instanceof Message.Forward m) {
            onForward(from, m);
        } else if (message instanceof Message.RejoinQuery) {
            onRejoinQuery(from);
        } else if (message instanceof Message.RejoinInfo m) {
            onRejoinInfo(from, m);
        }
    }

    /** Advances logical time by one tick. */
    public void tick() {
        if (role == Role.LEADER) {
            tickLeader();
        } else {
            tickElection();
        }
        tickCatchup();
        tickRejoin();
    }

    /**
     * Tells the engine its connection to {@code peer} was lost. When that peer is the leader this
     * follower follows, the election timer runs out within a few ticks instead of after the full
     * silence: a crashed leader's connections close at once, and waiting out the timeout only
     * delays failover. Every follower learns of the loss at about the same moment, so they are
     * staggered by their distance after the old leader ({@value #LOST_LEADER_STAGGER_TICKS} ticks
     * apart; the next index goes first) rather than all campaigning at once and duelling. Only
     * timing changes: pre-vote still asks each voter whether it, too, lost the leader, so one
     * flapping link cannot unseat a leader the others still hear.
     */
    public void peerLost(int peer) {
        if (role == Role.FOLLOWER && peer == leaderIndex) {
            int rank = Math.floorMod(self - peer - 1, cfg.clusterSize());
            leaderContactElapsed = Math.max(leaderContactElapsed, cfg.electionTicksMin());
            electionElapsed = Math.max(electionElapsed, electionTimeout - 1 - LOST_LEADER_STAGGER_TICKS * rank);
        }
    }

    /** Ticks between the followers' elections after their leader's connection closed. */
    static final int LOST_LEADER_STAGGER_TICKS = 2;

    /** Offers a command for replication; see {@link ProposeResult} for outcomes. */
    public ProposeResult propose(byte[] command) {
        if (command.length > EngineLimits.commandBytesMax) {
            return ProposeResult.TOO_LARGE;
        }
        if (pending.size() + toForward.size() >= EngineLimits.pendingCommandsMax) {
            droppedCommands++;
            return ProposeResult.QUEUE_FULL;
        }
        if (role == Role.LEADER) {
            pending.add(command.clone());
            return ProposeResult.QUEUED;
        }
        if (leaderIndex >= 0) {
            toForward.add(command.clone());
            return ProposeResult.FORWARDED;
        }
        return ProposeResult.NO_LEADER;
    }

    /**
     * Records that the host saved a snapshot of the state through {@code lastSlot} (which must be
     * applied); the log below it is dropped and the snapshot is served to lagging peers.
     */
    public void compact(long lastSlot, byte[] data) {
        if (lastSlot > appliedThrough) {
            throw new IllegalStateException("snapshot at " + lastSlot + " beyond applied " + appliedThrough);
        }
        if (lastSlot <= snapshotSlot()) {
            return;
        }
        truncateThrough(lastSlot);
        snapshot = new Snapshot(cfg.appNdx(), lastSlot, data);
    }

    // ---------------------------------------------------------------- outputs

    /** True when {@link #ready()} has something for the host. */
    public boolean hasReady() {
        if (outstanding != null) {
            return false;
        }
        return !persist.isEmpty() || !sendNow.isEmpty() || !sendAfter.isEmpty() || snapshotToInstall != null
                || chosenThrough > appliedThrough || !toForward.isEmpty()
                || (role == Role.LEADER && (chosenThrough > announcedChosen
                        || (!pending.isEmpty() && inFlight.size() < EngineLimits.outstandingSlotsMax)));
    }

    /** Collects what the host must do now; call {@link #advance(Ready)} once it is done. */
    public Ready ready() {
        if (outstanding != null) {
            throw new IllegalStateException("ready() called again before advance()");
        }
        flushProposals();
        flushForwards();
        announceChosen();
        Snapshot install = snapshotToInstall;
        List<Ready.Committed> committed = install == null ? committedSlots() : List.of();
        outstanding = new Ready(persist, sendNow, sendAfter, install, committed);
        persist = new ArrayList<>();
        sendNow = new ArrayList<>();
        sendAfter = new ArrayList<>();
        return outstanding;
    }

    /** Acknowledges that the host did everything {@code ready} asked. */
    public void advance(Ready ready) {
        if (ready != outstanding) {
            throw new IllegalStateException("advance() with a Ready that is not the outstanding one");
        }
        outstanding = null;
        if (ready.snapshot() != null) {
            installSnapshot(ready.snapshot());
        }
        for (Ready.Committed c : ready.committed()) {
            if (c.slot() != appliedThrough + 1) {
                throw new IllegalStateException("applied slot " + c.slot() + " after " + appliedThrough);
            }
            appliedThrough = c.slot();
        }
        for (Durable record : ready.persist()) {
            onDurable(record);
        }
        if (chosenThrough < knownChosen) {
            requestCatchup(catchupPeer);
        }
    }

    /** The engine's current state. */
    public EngineStatus status() {
        return new EngineStatus(role, leaderIndex, promised, chosenThrough, appliedThrough, snapshotSlot(), voter,
                pending.size() + toForward.size());
    }

    /** Commands dropped because a queue was full or no leader could take them. */
    public long droppedCommands() {
        return droppedCommands;
    }

    private long snapshotSlot() {
        return snapshot == null ? 0 : snapshot.lastSlot();
    }

    private List<Ready.Committed> committedSlots() {
        long last = Math.min(chosenThrough, appliedThrough + EngineLimits.applySlotsPerReadyMax);
        List<Ready.Committed> out = new ArrayList<>();
        for (long s = appliedThrough + 1; s <= last; s++) {
            LogSlot slot = log.get(s);
            if (slot == null || !slot.chosen) {
                throw new IllegalStateException("slot " + s + " within chosen prefix " + chosenThrough + " not chosen");
            }
            out.add(new Ready.Committed(s, slot.value));
        }
        return out;
    }

    private void onDurable(Durable record) {
        if (record instanceof Durable.Accepted a && role == Role.LEADER && a.ballot().equals(myBallot)) {
            InFlight f = inFlight.get(a.slot());
            if (f != null) {
                f.votes |= 1 << self;
                checkChosen(a.slot(), f);
            }
        } else if (record instanceof Durable.Promised p && role == Role.CANDIDATE && p.ballot().equals(myBallot)) {
            selfPromiseDurable = true;
            tryCompletePhase1();
        }
    }

    // ---------------------------------------------------------------- election

    private void resetElectionTimer() {
        electionElapsed = 0;
        int spread = cfg.electionTicksMax() - cfg.electionTicksMin() + 1;
        electionTimeout = cfg.electionTicksMin() + random.nextInt(spread);
    }

    /**
     * True while this node has recently heard a leader, or a candidate it promised still reading
     * its promise pages: either way it neither grants pre-votes nor promises another ballot, so a
     * long phase 1 is not cut short by a rival election.
     */
    private boolean leaderAlive() {
        return role == Role.LEADER || (leaderIndex >= 0 && leaderContactElapsed < cfg.electionTicksMin())
                || candidateContactElapsed < cfg.electionTicksMin();
    }

    private void tickElection() {
        electionElapsed++;
        leaderContactElapsed++;
        candidateContactElapsed++;
        if (role == Role.CANDIDATE && ++heartbeatElapsed >= cfg.heartbeatTicks()) {
            heartbeatElapsed = 0;
            resendPrepares();
        }
        if (voter && electionElapsed >= electionTimeout) {
            startPreVote();
        }
    }

    private void startPreVote() {
        role = Role.PRE_CANDIDATE;
        leaderIndex = -1;
        preVoteRound = Math.max(maxRoundSeen, promised.round()) + 1;
        preVotes = 1 << self;
        resetElectionTimer();
        broadcast(new Message.PreVote(preVoteRound), sendNow);
        if (Integer.bitCount(preVotes) >= cfg.quorum()) {
            becomeCandidate();
        }
    }

    private void onPreVote(int from, Message.PreVote m) {
        boolean granted = voter && !leaderAlive() && m.round() > promised.round();
        sendNow.add(new Ready.Outbound(from, new Message.PreVoteReply(m.round(), granted)));
    }

    private void onPreVoteReply(int from, Message.PreVoteReply m) {
        if (role != Role.PRE_CANDIDATE || m.round() != preVoteRound || !m.granted()) {
            return;
        }
        preVotes |= 1 << from;
        if (Integer.bitCount(preVotes) >= cfg.quorum()) {
            becomeCandidate();
        }
    }

    private void becomeCandidate() {
        long round = Math.max(Math.max(preVoteRound, maxRoundSeen), promised.round()) + 1;
        myBallot = new Ballot(round, self);
        if (!myBallot.above(promised)) {
            throw new IllegalStateException("ballot " + myBallot + " not above promised " + promised);
        }
        role = Role.CANDIDATE;
        promised = myBallot;
        maxRoundSeen = round;
        persist.add(new Durable.Promised(myBallot));
        promises.clear();
        selfPromiseDurable = false;
        heartbeatElapsed = 0;
        resetElectionTimer();
        phase1From = chosenThrough + 1;
        broadcast(new Message.Prepare(myBallot, phase1From), sendAfter);
    }

    /** Asks again every promiser not yet heard from, and every one whose report is not complete. */
    private void resendPrepares() {
        for (int p = 0; p < cfg.clusterSize(); p++) {
            PromiseReport report = promises.get(p);
            if (p != self && (report == null || !report.complete)) {
                long from = report == null ? phase1From : report.next;
                sendAfter.add(new Ready.Outbound(p, new Message.Prepare(myBallot, from)));
            }
        }
    }

    private void onPrepare(int from, Message.Prepare m) {
        maxRoundSeen = Math.max(maxRoundSeen, m.ballot().round());
        if (!voter) {
            return;
        }
        if (m.ballot().below(promised)) {
            sendNow.add(new Ready.Outbound(from, new Message.Nack(promised)));
            return;
        }
        if (m.ballot().above(promised)) {
            if (leaderAlive() && from != leaderIndex && from != promised.node()) {
                return;
            }
            promised = m.ballot();
            persist.add(new Durable.Promised(promised));
            becomeFollower(-1);
        } else if (role == Role.FOLLOWER && from == m.ballot().node()) {
            // The candidate this node promised is still reading its tail: no election of our own.
            candidateContactElapsed = 0;
            electionElapsed = 0;
        }
        sendAfter.add(new Ready.Outbound(from, promisePage(m.ballot(), m.fromSlot())));
    }

    /**
     * A promise reporting accepted slots from {@code fromSlot} on, as many as fit in
     * {@link EngineLimits#promiseBytesMax} and {@link EngineLimits#promiseEntriesMax} (at least one,
     * so every page makes progress); {@code resumeSlot} says where it stopped.
     */
    private Message.Promise promisePage(Ballot ballot, long fromSlot) {
        List<Message.PromiseEntry> entries = new ArrayList<>();
        long bytes = 0;
        long resume = 0;
        for (long s = Math.max(fromSlot, chosenThrough + 1); s <= maxLogSlot; s++) {
            LogSlot slot = log.get(s);
            if (slot == null) {
                continue;
            }
            long size = slot.value.wireBytesBound();
            if (!entries.isEmpty() && (bytes + size > EngineLimits.promiseBytesMax
                    || entries.size() == EngineLimits.promiseEntriesMax)) {
                resume = s;
                break;
            }
            entries.add(new Message.PromiseEntry(s, slot.ballot, slot.value, slot.chosen));
            bytes += size;
        }
        return new Message.Promise(ballot, chosenThrough, snapshotSlot(), fromSlot, entries, resume);
    }

    private void onPromise(int from, Message.Promise m) {
        if (role != Role.CANDIDATE || !m.ballot().equals(myBallot)) {
            return;
        }
        PromiseReport report = promises.computeIfAbsent(from, p -> new PromiseReport(phase1From));
        if (!report.merge(m)) {
            return;
        }
        if (!report.complete) {
            // Progress: the election timer waits while the promisers' tails keep arriving.
            electionElapsed = 0;
            sendNow.add(new Ready.Outbound(from, new Message.Prepare(myBallot, report.next)));
        }
        tryCompletePhase1();
    }

    /**
     * Phase 1 completes once a quorum (this node included, when its own promise is durable) has
     * reported every accepted slot: a slot is proposed only after every promiser of that quorum
     * has told its value there, and holes become no-ops only then.
     */
    private void tryCompletePhase1() {
        if (role != Role.CANDIDATE) {
            return;
        }
        int complete = selfPromiseDurable ? 1 : 0;
        int furthest = -1;
        long target = chosenThrough;
        for (Map.Entry<Integer, PromiseReport> e : promises.entrySet()) {
            complete += e.getValue().complete ? 1 : 0;
            if (e.getValue().chosenThrough > target) {
                target = e.getValue().chosenThrough;
                furthest = e.getKey();
            }
        }
        if (complete < cfg.quorum()) {
            return;
        }
        if (furthest >= 0) {
            knownChosen = Math.max(knownChosen, target);
            requestCatchup(furthest);
            return;
        }
        becomeLeader();
    }

    private void becomeLeader() {
        role = Role.LEADER;
        leaderIndex = self;
        inFlight.clear();
        activePeers = 0;
        checkQuorumElapsed = 0;
        heartbeatElapsed = 0;
        announcedChosen = -1;
        long highest = Math.max(chosenThrough, maxLogSlot);
        for (PromiseReport p : promises.values()) {
            if (p.complete && !p.entries.isEmpty()) {
                highest = Math.max(highest, p.entries.lastKey());
            }
        }
        for (long s = chosenThrough + 1; s <= highest; s++) {
            proposeAt(s, recoveredValue(s));
        }
        nextSlot = highest + 1;
        toForward.forEach(pending::add);
        toForward.clear();
        broadcast(new Message.Heartbeat(myBallot, chosenThrough), sendNow);
    }

    /** Phase 1's choice for slot s: a chosen value, else the highest-ballot accepted one, else no-op. */
    private SlotValue recoveredValue(long s) {
        LogSlot own = log.get(s);
        if (faults.contains(Fault.SKIP_ADOPTING_ACCEPTED)) {
            return own != null && own.chosen ? own.value : SlotValue.NOOP;
        }
        Ballot best = own == null ? null : own.ballot;
        SlotValue value = own == null ? SlotValue.NOOP : own.value;
        if (own != null && own.chosen) {
            return own.value;
        }
        for (PromiseReport p : promises.values()) {
            Message.PromiseEntry e = p.complete ? p.entries.get(s) : null;
            if (e == null) {
                continue;
            }
            if (e.chosen()) {
                return e.value();
            }
            if (best == null || e.ballot().above(best)) {
                best = e.ballot();
                value = e.value();
            }
        }
        return value;
    }

    private void becomeFollower(int leader) {
        if (role == Role.LEADER) {
            droppedCommands += pending.size();
            pending.clear();
            inFlight.clear();
        }
        role = Role.FOLLOWER;
        leaderIndex = leader;
        promises.clear();
        resetElectionTimer();
    }

    private void onNack(Message.Nack m) {
        maxRoundSeen = Math.max(maxRoundSeen, m.promised().round());
        if ((role == Role.CANDIDATE || role == Role.LEADER) && m.promised().above(myBallot)) {
            becomeFollower(-1);
        }
    }

    // ---------------------------------------------------------------- leader

    private void tickLeader() {
        if (++heartbeatElapsed >= cfg.heartbeatTicks()) {
            heartbeatElapsed = 0;
            broadcast(new Message.Heartbeat(myBallot, chosenThrough), sendNow);
            announcedChosen = chosenThrough;
        }
        for (Map.Entry<Long, InFlight> e : inFlight.entrySet()) {
            if (++e.getValue().age >= cfg.heartbeatTicks()) {
                e.getValue().age = 0;
                resendAccept(e.getKey(), e.getValue());
            }
        }
        if (++checkQuorumElapsed >= cfg.electionTicksMax()) {
            boolean quorate = Integer.bitCount(activePeers & ~(1 << self)) + 1 >= cfg.quorum();
            activePeers = 0;
            checkQuorumElapsed = 0;
            if (!quorate) {
                becomeFollower(-1);
            }
        }
    }

    private void resendAccept(long slot, InFlight f) {
        for (int p = 0; p < cfg.clusterSize(); p++) {
            if (p != self && (f.votes & (1 << p)) == 0) {
                sendNow.add(new Ready.Outbound(p, new Message.Accept(myBallot, slot, f.value, chosenThrough)));
            }
        }
    }

    private void proposeAt(long slot, SlotValue value) {
        inFlight.put(slot, new InFlight(value));
        putSlot(slot, new LogSlot(myBallot, value, false));
        persist.add(new Durable.Accepted(slot, myBallot, value));
        broadcast(new Message.Accept(myBallot, slot, value, chosenThrough), sendNow);
    }

    private void flushProposals() {
        nextSlot = Math.max(nextSlot, chosenThrough + 1);
        while (role == Role.LEADER && !pending.isEmpty() && inFlight.size() < EngineLimits.outstandingSlotsMax) {
            proposeAt(nextSlot++, new SlotValue(cutBatch(pending)));
        }
    }

    private static List<byte[]> cutBatch(ArrayDeque<byte[]> queue) {
        List<byte[]> batch = new ArrayList<>();
        long bytes = 0;
        while (!queue.isEmpty() && batch.size() < EngineLimits.batchCommandsMax
                && (batch.isEmpty() || bytes + queue.peek().length <= EngineLimits.batchBytesMax)) {
            byte[] command = queue.poll();
            bytes += command.length;
            batch.add(command);
        }
        return batch;
    }

    private void flushForwards() {
        if (toForward.isEmpty()) {
            return;
        }
        if (role == Role.LEADER) {
            toForward.forEach(pending::add);
            toForward.clear();
        } else if (leaderIndex < 0) {
            droppedCommands += toForward.size();
            toForward.clear();
        } else {
            while (!toForward.isEmpty()) {
                Message.Forward forward = new Message.Forward(forwardEpoch, forwardSeq++, cutBatch(toForward));
                sendNow.add(new Ready.Outbound(leaderIndex, forward));
            }
        }
    }

    private void announceChosen() {
        if (role == Role.LEADER && chosenThrough > announcedChosen) {
            broadcast(new Message.Heartbeat(myBallot, chosenThrough), sendNow);
            announcedChosen = chosenThrough;
        }
    }

    private void onAccepted(int from, Message.Accepted m) {
        if (role != Role.LEADER || !m.ballot().equals(myBallot)) {
            return;
        }
        activePeers |= 1 << from;
        InFlight f = inFlight.get(m.slot());
        if (f != null) {
            f.votes |= 1 << from;
            checkChosen(m.slot(), f);
        }
    }

    private void checkChosen(long slot, InFlight f) {
        if (Integer.bitCount(f.votes) < cfg.quorum() || slot <= chosenThrough) {
            return;
        }
        LogSlot entry = log.get(slot);
        if (entry == null || !entry.value.equals(f.value)) {
            throw new IllegalStateException("leader's value for slot " + slot + " changed while in flight");
        }
        entry.chosen = true;
        advanceChosenThrough();
    }

    private void onHeartbeatReply(int from, Message.HeartbeatReply m) {
        if (role == Role.LEADER && m.ballot().equals(myBallot)) {
            activePeers |= 1 << from;
            if (m.chosenThrough() > chosenThrough) {
                knownChosen = Math.max(knownChosen, m.chosenThrough());
                requestCatchup(from);
            }
        }
    }

    private void onForward(int from, Message.Forward m) {
        if (!forwardsSeen.computeIfAbsent(from, f -> new ReplayWindow()).firstSeen(m.epoch(), m.seq())) {
            return;
        }
        for (byte[] command : m.commands()) {
            if (role != Role.LEADER || command.length > EngineLimits.commandBytesMax
                    || pending.size() >= EngineLimits.pendingCommandsMax) {
                droppedCommands++;
            } else {
                pending.add(command);
            }
        }
    }

    // ---------------------------------------------------------------- acceptor and learner

    private void onAccept(int from, Message.Accept m) {
        maxRoundSeen = Math.max(maxRoundSeen, m.ballot().round());
        if (m.ballot().below(promised)) {
            sendNow.add(new Ready.Outbound(from, new Message.Nack(promised)));
            return;
        }
        heardFromLeader(from);
        learnChosen(from, m.ballot(), m.chosenThrough());
        if (voter) {
            acceptValue(from, m);
        }
    }

    private void acceptValue(int from, Message.Accept m) {
        if (m.ballot().above(promised)) {
            promised = m.ballot();
            persist.add(new Durable.Promised(promised));
        }
        long s = m.slot();
        LogSlot existing = log.get(s);
        if (s <= chosenThrough || (existing != null && existing.chosen)) {
            // Vouch only for the chosen value itself: a stale leader may still be proposing another
            // value here, and an acknowledgement could help it "choose" that value at its ballot.
            // Otherwise tell the leader how far this node knows the log is chosen, so it catches up.
            if (existing == null || !existing.value.equals(m.value())) {
                sendNow.add(new Ready.Outbound(from, new Message.HeartbeatReply(m.ballot(), chosenThrough)));
                return;
            }
        } else if (s > chosenThrough + EngineLimits.acceptAheadSlotsMax) {
            return;
        } else {
            putSlot(s, new LogSlot(m.ballot(), m.value(), false));
            persist.add(new Durable.Accepted(s, m.ballot(), m.value()));
        }
        sendAfter.add(new Ready.Outbound(from, new Message.Accepted(m.ballot(), s)));
    }

    private void onHeartbeat(int from, Message.Heartbeat m) {
        maxRoundSeen = Math.max(maxRoundSeen, m.ballot().round());
        if (m.ballot().below(promised)) {
            sendNow.add(new Ready.Outbound(from, new Message.Nack(promised)));
            return;
        }
        heardFromLeader(from);
        learnChosen(from, m.ballot(), m.chosenThrough());
        sendNow.add(new Ready.Outbound(from, new Message.HeartbeatReply(m.ballot(), chosenThrough)));
    }

    private void heardFromLeader(int from) {
        if (role != Role.FOLLOWER || leaderIndex != from) {
            becomeFollower(from);
        }
        leaderContactElapsed = 0;
        electionElapsed = 0;
    }

    /** Every slot through {@code through} is chosen at a ballot no higher than {@code ballot}. */
    private void learnChosen(int from, Ballot ballot, long through) {
        knownChosen = Math.max(knownChosen, through);
        for (long s = chosenThrough + 1; s <= through; s++) {
            LogSlot slot = log.get(s);
            if (slot == null) {
                break;
            }
            if (!slot.chosen && (slot.ballot.equals(ballot) || faults.contains(Fault.APPLY_WITHOUT_BALLOT_CHECK))) {
                slot.chosen = true;
            } else if (!slot.chosen) {
                break;
            }
        }
        advanceChosenThrough();
        if (chosenThrough < knownChosen) {
            requestCatchup(from);
        }
    }

    private void advanceChosenThrough() {
        long before = chosenThrough;
        LogSlot next;
        while ((next = log.get(chosenThrough + 1)) != null && next.chosen) {
            chosenThrough++;
        }
        if (chosenThrough == before) {
            return;
        }
        persist.add(new Durable.ChosenThrough(chosenThrough));
        inFlight.headMap(chosenThrough, true).clear();
        maybeBecomeVoter();
    }

    // ---------------------------------------------------------------- rejoining after a wiped disk

    /**
     * A node without its durable state asks its peers, until a quorum of them (not counting itself)
     * has answered, for their promise, chosen prefix and highest stored slot. Any value chosen with
     * this node's lost vote was also accepted by a quorum member other than it, and any ballot that
     * counted its lost promise was promised by one too, and each such quorum meets the answering one:
     * so the highest slot reported bounds every slot it may have helped choose, and the highest
     * promise reported bounds every promise it may have made.
     */
    private void tickRejoin() {
        if (voter || rejoinTarget >= 0 || ++rejoinElapsed < cfg.heartbeatTicks()) {
            return;
        }
        rejoinElapsed = 0;
        for (int p = 0; p < cfg.clusterSize(); p++) {
            if (p != self && !rejoinInfos.containsKey(p)) {
                sendNow.add(new Ready.Outbound(p, new Message.RejoinQuery()));
            }
        }
    }

    private void onRejoinQuery(int from) {
        if (voter) {
            sendNow.add(new Ready.Outbound(from, new Message.RejoinInfo(promised, chosenThrough, maxLogSlot)));
        }
    }

    private void onRejoinInfo(int from, Message.RejoinInfo m) {
        if (voter || rejoinTarget >= 0) {
            return;
        }
        rejoinInfos.put(from, m);
        if (rejoinInfos.size() < cfg.quorum()) {
            return;
        }
        long target = 0;
        int furthest = from;
        for (Map.Entry<Integer, Message.RejoinInfo> e : rejoinInfos.entrySet()) {
            Message.RejoinInfo info = e.getValue();
            promised = Ballot.max(promised, info.promised());
            target = Math.max(target, Math.max(info.chosenThrough(), info.maxSlot()));
            if (info.chosenThrough() >= rejoinInfos.get(furthest).chosenThrough()) {
                furthest = e.getKey();
            }
            knownChosen = Math.max(knownChosen, info.chosenThrough());
        }
        maxRoundSeen = Math.max(maxRoundSeen, promised.round());
        rejoinTarget = target;
        maybeBecomeVoter();
        requestCatchup(furthest);
    }

    /** A node that lost its durable state votes again once it has learned everything it may have helped choose. */
    private void maybeBecomeVoter() {
        if (!voter && rejoinTarget >= 0 && chosenThrough >= rejoinTarget) {
            voter = true;
            persist.add(new Durable.Promised(promised));
            persist.add(new Durable.VoterMark());
        }
    }

    private void putSlot(long slot, LogSlot value) {
        log.put(slot, value);
        maxLogSlot = Math.max(maxLogSlot, slot);
    }

    // ---------------------------------------------------------------- catch-up and snapshots

    /**
     * Starts a catch-up stream from {@code peer} unless one is running, or moves the running one on.
     * Each request takes up to {@link EngineLimits#catchupRepliesPerRequestMax} replies; the next
     * request leaves as soon as the first reply of the last one arrives (its {@code streamNext}
     * says where that run ends), so the next run is on its way while this one is being persisted.
     */
    private void requestCatchup(int peer) {
        if (peer < 0 || peer == self || snapshotToInstall != null) {
            return;
        }
        if (catchupActive) {
            continueCatchup();
            return;
        }
        catchupPeer = peer;
        catchupActive = true;
        catchupSnapshotMode = false;
        catchupAskedSlot = chosenThrough + 1;
        catchupNextSlot = catchupAskedSlot;
        catchupAskedOffset = assembly == null ? 0 : assembly.received;
        catchupNextOffset = catchupAskedOffset;
        sendCatchupRequest();
    }

    private void sendCatchupRequest() {
        catchupElapsed = 0;
        catchupAskedSlot = Math.max(catchupAskedSlot, chosenThrough + 1);
        long snapSlot = assembly == null ? 0 : assembly.lastSlot;
        sendNow.add(new Ready.Outbound(catchupPeer, new Message.CatchupRequest(catchupAskedSlot, snapSlot,
                catchupAskedOffset, EngineLimits.catchupRepliesPerRequestMax)));
    }

    /** Asks for the next run once a reply of the last run said where it ends, if more is chosen. */
    private void continueCatchup() {
        if (catchupSnapshotMode) {
            if (assembly == null) {
                return;
            }
            if (catchupNextOffset > catchupAskedOffset && catchupNextOffset < assembly.bytes.length) {
                catchupAskedOffset = catchupNextOffset;
                sendCatchupRequest();
            }
        } else if (catchupNextSlot > catchupAskedSlot && catchupNextSlot <= knownChosen) {
            catchupAskedSlot = catchupNextSlot;
            sendCatchupRequest();
        }
    }

    /** Ends the stream when nothing more is known chosen, else keeps it going. */
    private void catchupProgress() {
        if (chosenThrough >= knownChosen) {
            catchupActive = false;
        } else {
            continueCatchup();
        }
    }

    private void tickCatchup() {
        if (catchupActive && ++catchupElapsed >= EngineLimits.catchupRetryTicks) {
            catchupActive = false; // a reply was lost, or the peer is gone: start again from what is known
            if (chosenThrough < knownChosen) {
                requestCatchup(leaderIndex >= 0 && leaderIndex != self ? leaderIndex : catchupPeer);
            }
        }
    }

    private void onCatchupRequest(int from, Message.CatchupRequest m) {
        int replies = Math.max(1, Math.min(m.replies(), EngineLimits.catchupRepliesPerRequestMax));
        if (snapshot != null && m.fromSlot() <= snapshot.lastSlot()) {
            sendSnapshotChunks(from, m, replies);
            return;
        }
        List<List<Message.ChosenEntry>> runs = new ArrayList<>();
        long next = Math.max(m.fromSlot(), 1);
        do {
            List<Message.ChosenEntry> entries = chosenRun(next);
            runs.add(entries);
            next += entries.size();
        } while (runs.size() < replies && next <= chosenThrough);
        for (List<Message.ChosenEntry> entries : runs) {
            sendNow.add(new Ready.Outbound(from, new Message.CatchupReply(entries, chosenThrough, next)));
        }
    }

    /** Chosen values from {@code from} on, within {@code catchupEntriesMax} and {@code catchupBytesMax}. */
    private List<Message.ChosenEntry> chosenRun(long from) {
        List<Message.ChosenEntry> entries = new ArrayList<>();
        long bytes = 0;
        for (long s = from; s <= chosenThrough && entries.size() < EngineLimits.catchupEntriesMax; s++) {
            SlotValue value = log.get(s).value;
            if (!entries.isEmpty() && bytes + value.wireBytesBound() > EngineLimits.catchupBytesMax) {
                break; // the limit holds for the whole reply, not just before its last entry
            }
            entries.add(new Message.ChosenEntry(s, value));
            bytes += value.wireBytesBound();
        }
        return entries;
    }

    private void sendSnapshotChunks(int from, Message.CatchupRequest m, int chunks) {
        long offset = m.snapshotSlot() == snapshot.lastSlot() ? m.snapshotOffset() : 0;
        if (offset < 0 || offset > snapshot.size()) {
            offset = 0;
        }
        long end = Math.min(snapshot.size(), offset + (long) chunks * EngineLimits.snapshotChunkBytesMax);
        do {
            int length = (int) Math.min(EngineLimits.snapshotChunkBytesMax, end - offset);
            sendNow.add(new Ready.Outbound(from, new Message.SnapshotChunk(snapshot.lastSlot(), offset, snapshot.size(),
                    snapshot.slice((int) offset, length), end)));
            offset += length;
        } while (offset < end);
    }

    private void onCatchupReply(int from, Message.CatchupReply m) {
        catchupElapsed = 0;
        knownChosen = Math.max(knownChosen, m.chosenThrough());
        for (Message.ChosenEntry e : m.entries()) {
            learnValue(e.slot(), e.value());
        }
        advanceChosenThrough();
        if (catchupActive && from == catchupPeer) {
            catchupSnapshotMode = false;
            catchupNextSlot = Math.max(catchupNextSlot, m.streamNext());
            catchupProgress();
        } else if (chosenThrough < knownChosen) {
            requestCatchup(from);
        }
        if (role == Role.CANDIDATE && chosenThrough >= knownChosen) {
            tryCompletePhase1();
        }
    }

    private void learnValue(long slot, SlotValue value) {
        if (slot <= snapshotSlot() || slot > chosenThrough + EngineLimits.catchupAheadSlotsMax) {
            return;
        }
        LogSlot existing = log.get(slot);
        if (existing != null && existing.chosen) {
            if (!existing.value.equals(value)) {
                throw new IllegalStateException("slot " + slot + " learned with a value other than the chosen one");
            }
            return;
        }
        putSlot(slot, new LogSlot(Ballot.ZERO, value, true));
        persist.add(new Durable.Learned(slot, value));
    }

    private void onSnapshotChunk(int from, Message.SnapshotChunk m) {
        catchupElapsed = 0;
        if (m.lastSlot() <= chosenThrough || m.totalBytes() > EngineLimits.snapshotBytesMax
                || m.offset() + m.data().length > m.totalBytes() || snapshotToInstall != null) {
            return;
        }
        if (m.offset() == 0 && (assembly == null || assembly.lastSlot != m.lastSlot())) {
            assembly = new SnapshotAssembly(m.lastSlot(), (int) m.totalBytes());
            catchupAskedOffset = 0;
            catchupNextOffset = 0;
        }
        if (assembly == null || assembly.lastSlot != m.lastSlot() || assembly.received != m.offset()) {
            return;
        }
        byte[] data = m.data();
        System.arraycopy(data, 0, assembly.bytes, assembly.received, data.length);
        assembly.received += data.length;
        knownChosen = Math.max(knownChosen, m.lastSlot());
        if (assembly.received == assembly.bytes.length) {
            snapshotToInstall = new Snapshot(cfg.appNdx(), assembly.lastSlot, assembly.bytes);
            assembly = null;
            catchupActive = false;
        } else if (catchupActive && from == catchupPeer) {
            catchupSnapshotMode = true;
            catchupNextOffset = Math.max(catchupNextOffset, m.streamNext());
            continueCatchup();
        } else {
            requestCatchup(from);
        }
    }

    private void installSnapshot(Snapshot installed) {
        snapshotToInstall = null;
        if (installed.lastSlot() <= appliedThrough) {
            throw new IllegalStateException("installing snapshot " + installed.lastSlot() + " at applied " + appliedThrough);
        }
        truncateThrough(installed.lastSlot());
        inFlight.headMap(installed.lastSlot(), true).clear();
        snapshot = installed;
        appliedThrough = installed.lastSlot();
        chosenThrough = Math.max(chosenThrough, installed.lastSlot());
        advanceChosenThrough();
        maybeBecomeVoter();
        if (role == Role.CANDIDATE) {
            tryCompletePhase1();
        }
    }

    private void truncateThrough(long lastSlot) {
        for (long s = snapshotSlot() + 1; s <= lastSlot; s++) {
            log.remove(s);
        }
    }

    private void broadcast(Message message, List<Ready.Outbound> into) {
        for (int p = 0; p < cfg.clusterSize(); p++) {
            if (p != self) {
                into.add(new Ready.Outbound(p, message));
            }
        }
    }
}
