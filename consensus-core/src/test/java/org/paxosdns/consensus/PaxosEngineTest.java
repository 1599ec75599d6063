package org.paxosdns.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Single-engine behaviour: what it emits for given inputs, and the durability ordering. */
class PaxosEngineTest {
    private static EngineConfig config(int self, int size, boolean bootstrapped) {
        return new EngineConfig(1, self, size, 2, 10, 20, bootstrapped);
    }

    private static PaxosEngine engine(int self, boolean bootstrapped) {
        return new PaxosEngine(config(self, 3, bootstrapped), DurableState.empty(), new SplittableRandom(self));
    }

    /** Drives ready/advance once, returning the Ready. */
    private static Ready cycle(PaxosEngine e) {
        Ready rd = e.ready();
        e.advance(rd);
        return rd;
    }

    private static List<Message> messages(List<Ready.Outbound> outs) {
        List<Message> m = new ArrayList<>();
        outs.forEach(o -> m.add(o.message()));
        return m;
    }

    @Test
    void aPromiseLeavesOnlyAfterItsRecordIsPersisted() {
        PaxosEngine e = engine(1, true);
        cycle(e);
        Ballot ballot = new Ballot(3, 0);
        e.step(0, new Message.Prepare(ballot, 1));
        Ready rd = e.ready();
        assertTrue(rd.persist().contains(new Durable.Promised(ballot)));
        assertTrue(messages(rd.sendAfterPersist()).stream().anyMatch(m -> m instanceof Message.Promise));
        assertFalse(messages(rd.sendNow()).stream().anyMatch(m -> m instanceof Message.Promise));
    }

    @Test
    void anAcceptedReplyLeavesOnlyAfterTheValueIsPersisted() {
        PaxosEngine e = engine(1, true);
        cycle(e);
        SlotValue v = new SlotValue(List.of(new byte[] {1}));
        e.step(0, new Message.Accept(new Ballot(3, 0), 1, v, 0));
        Ready rd = e.ready();
        assertTrue(rd.persist().contains(new Durable.Accepted(1, new Ballot(3, 0), v)));
        assertEquals(List.of(new Message.Accepted(new Ballot(3, 0), 1)), messages(rd.sendAfterPersist()));
    }

    @Test
    void ballotsAreNeverReusedAcrossRestarts() {
        PaxosEngine e = engine(0, true);
        for (int t = 0; t < 40 && e.status().role() != Role.PRE_CANDIDATE; t++) {
            e.tick();
        }
        e.step(1, new Message.PreVoteReply(e.status().promised().round() + 1, true));
        Ready rd = e.ready();
        Ballot used = ((Message.Prepare) rd.sendAfterPersist().get(0).message()).ballot();
        assertTrue(rd.persist().contains(new Durable.Promised(used)), "round persisted before the prepare leaves");
        PaxosEngine restarted = new PaxosEngine(config(0, 3, true), DurableState.replay(null, rd.persist()),
                new SplittableRandom(0));
        for (int t = 0; t < 40 && restarted.status().role() != Role.PRE_CANDIDATE; t++) {
            restarted.tick();
        }
        restarted.step(1, new Message.PreVoteReply(used.round() + 1, true));
        Ballot next = ((Message.Prepare) restarted.ready().sendAfterPersist().get(0).message()).ballot();
        assertTrue(next.above(used), next + " after " + used);
    }

    @Test
    void aNodeThatHeardALiveLeaderRefusesHigherPreparesAndPreVotes() {
        PaxosEngine e = engine(2, true);
        e.step(0, new Message.Heartbeat(new Ballot(1, 0), 0));
        cycle(e);
        e.step(1, new Message.PreVote(5));
        e.step(1, new Message.Prepare(new Ballot(5, 1), 1));
        Ready rd = e.ready();
        assertEquals(List.of(new Message.PreVoteReply(5, false)), messages(rd.sendNow()));
        assertTrue(rd.sendAfterPersist().isEmpty());
        assertTrue(rd.persist().isEmpty());
    }

    @Test
    void aNodeWithoutItsDurableStateDoesNotVoteUntilCaughtUpWithAQuorumOfPeers() {
        PaxosEngine e = engine(2, false);
        e.step(1, new Message.Prepare(new Ballot(5, 1), 1));
        e.step(0, new Message.Accept(new Ballot(1, 0), 1, SlotValue.NOOP, 0));
        e.tick();
        Ready rd = cycle(e);
        assertTrue(rd.sendAfterPersist().isEmpty() && rd.persist().isEmpty(), "no promise, no accept");
        assertEquals(2, messages(rd.sendNow()).stream().filter(m -> m instanceof Message.RejoinQuery).count());
        e.step(0, new Message.RejoinInfo(new Ballot(6, 1), 1, 2));
        assertFalse(e.status().voter(), "one peer is not a quorum of peers");
        e.step(1, new Message.RejoinInfo(new Ballot(6, 1), 1, 1));
        cycle(e);
        e.step(0, new Message.CatchupReply(List.of(new Message.ChosenEntry(1, SlotValue.NOOP)), 2, 2));
        cycle(e);
        assertFalse(e.status().voter(), "slot 2 may hold a value it helped choose");
        e.step(0, new Message.CatchupReply(List.of(new Message.ChosenEntry(2, SlotValue.NOOP)), 2, 3));
        Ready caughtUp = cycle(e);
        assertTrue(caughtUp.persist().contains(new Durable.VoterMark()));
        assertTrue(caughtUp.persist().contains(new Durable.Promised(new Ballot(6, 1))), "promise floor from peers");
        assertTrue(e.status().voter());
    }

    @Test
    void anAcceptorNeverVouchesForAnotherValueInAChosenSlot() {
        PaxosEngine e = engine(1, true);
        SlotValue chosen = new SlotValue(List.of(new byte[] {1}));
        e.step(0, new Message.Heartbeat(new Ballot(1, 0), 1));
        e.step(0, new Message.CatchupReply(List.of(new Message.ChosenEntry(1, chosen)), 1, 2));
        cycle(e);
        e.step(2, new Message.Accept(new Ballot(2, 2), 1, new SlotValue(List.of(new byte[] {2})), 0));
        Ready rd = e.ready();
        assertTrue(rd.sendAfterPersist().isEmpty(), "no Accepted for a different value");
        assertEquals(List.of(new Message.HeartbeatReply(new Ballot(2, 2), 1)), messages(rd.sendNow()),
                "the leader learns it is behind instead");
    }

    @Test
    void aLeaderCountsItsOwnVoteOnlyOnceItIsDurable() {
        PaxosEngine solo = new PaxosEngine(config(0, 1, true), DurableState.empty(), new SplittableRandom(1));
        for (int t = 0; t < 40 && solo.status().role() != Role.LEADER; t++) {
            solo.tick();
            while (solo.hasReady()) {
                cycle(solo);
            }
        }
        assertEquals(Role.LEADER, solo.status().role());
        solo.propose(new byte[] {7});
        Ready rd = solo.ready();
        assertTrue(rd.persist().stream().anyMatch(d -> d instanceof Durable.Accepted));
        assertEquals(0, solo.status().chosenThrough(), "not chosen before its own accept is durable");
        solo.advance(rd);
        assertEquals(1, solo.status().chosenThrough());
    }

    @Test
    void aFollowerForwardsProposalsToTheLeaderAndTheLeaderDropsDuplicates() {
        PaxosEngine f = engine(1, true);
        assertEquals(ProposeResult.NO_LEADER, f.propose(new byte[] {1}));
        f.step(0, new Message.Heartbeat(new Ballot(1, 0), 0));
        assertEquals(ProposeResult.FORWARDED, f.propose(new byte[] {1}));
        assertEquals(ProposeResult.TOO_LARGE, f.propose(new byte[EngineLimits.commandBytesMax + 1]));
        Message forward = messages(cycle(f).sendNow()).stream().filter(m -> m instanceof Message.Forward).findFirst().orElseThrow();

        PaxosEngine leader = electedLeaderOfThree();
        leader.step(1, forward);
        leader.step(1, forward);
        assertEquals(1, leader.status().pendingCommands(), "the duplicate delivery is dropped");
        PaxosEngine follower = engine(2, true);
        follower.step(1, forward);
        assertEquals(0, follower.status().pendingCommands(), "a non-leader drops forwards");
        assertTrue(follower.droppedCommands() >= 1);
    }

    /** Node 0 of three, elected with node 1's pre-vote and promise. */
    private static PaxosEngine electedLeaderOfThree() {
        PaxosEngine e = engine(0, true);
        for (int t = 0; t < 40 && e.status().role() != Role.PRE_CANDIDATE; t++) {
            e.tick();
        }
        e.step(1, new Message.PreVoteReply(e.status().promised().round() + 1, true));
        Ready rd = cycle(e);
        Ballot ballot = ((Message.Prepare) rd.sendAfterPersist().get(0).message()).ballot();
        e.step(1, new Message.Promise(ballot, 0, 0, 1, List.of(), 0));
        assertEquals(Role.LEADER, e.status().role());
        cycle(e);
        return e;
    }

    @Test
    void readyTwiceWithoutAdvanceIsAnInvariantViolation() {
        PaxosEngine e = engine(0, true);
        e.ready();
        assertThrows(IllegalStateException.class, e::ready);
    }

    @Test
    void messagesFromOutsideTheClusterAreRejected() {
        PaxosEngine e = engine(0, true);
        assertThrows(IllegalArgumentException.class, () -> e.step(3, new Message.PreVote(1)));
        assertThrows(IllegalArgumentException.class, () -> e.step(0, new Message.PreVote(1)));
    }

    @Test
    void replayWindowDropsRepeatsAndAcceptsReorderingWithinTheWindow() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.firstSeen(1, 5));
        assertFalse(w.firstSeen(1, 5));
        assertTrue(w.firstSeen(1, 3));
        assertTrue(w.firstSeen(1, 100));
        assertFalse(w.firstSeen(1, 3));
        assertTrue(w.firstSeen(2, 0), "a new epoch starts fresh");
    }

    @Test
    void aCatchupReplyStaysWithinItsByteLimitSoTheTransportCarriesIt() {
        PaxosEngine e = engine(1, true);
        cycle(e);
        Ballot ballot = new Ballot(3, 0);
        SlotValue full = new SlotValue(List.of(new byte[EngineLimits.batchBytesMax - 1024]));
        int slots = 40;
        for (int slot = 1; slot <= slots; slot++) {
            e.step(0, new Message.Accept(ballot, slot, full, 0));
            cycle(e);
        }
        e.step(0, new Message.Heartbeat(ballot, slots));
        cycle(e);
        e.step(2, new Message.CatchupRequest(1, 0, 0, 1));
        Message.CatchupReply reply = (Message.CatchupReply) messages(e.ready().sendNow()).stream()
                .filter(m -> m instanceof Message.CatchupReply).findFirst().orElseThrow();
        long bytes = reply.entries().stream().mapToLong(entry -> entry.value().byteSize()).sum();
        assertFalse(reply.entries().isEmpty());
        assertTrue(bytes <= EngineLimits.catchupBytesMax, bytes + " bytes of values in one reply");
        assertTrue(PaxosCodec.encode(1, reply).length <= 1024 * 1024, "a reply fits a 1 MiB transport message");
    }

    /** A batch of {@code commandBytesMax} commands filling {@code batchBytesMax}, tagged by slot. */
    private static SlotValue fullBatch(long slot) {
        List<byte[]> commands = new ArrayList<>();
        for (int c = 0; c < EngineLimits.batchBytesMax / EngineLimits.commandBytesMax; c++) {
            byte[] command = new byte[EngineLimits.commandBytesMax];
            command[0] = (byte) slot;
            command[1] = (byte) (slot >> 8);
            command[2] = (byte) c;
            commands.add(command);
        }
        return new SlotValue(commands);
    }

    @Test
    void aPromiseOverALongTailOfFullBatchesComesInPagesThatEachFitTheTransport() {
        PaxosEngine e = engine(1, true);
        cycle(e);
        Ballot old = new Ballot(3, 0);
        int tail = 100; // 6.4 MiB of accepted, unchosen values
        for (int slot = 1; slot <= tail; slot++) {
            e.step(0, new Message.Accept(old, slot, fullBatch(slot), 0));
            cycle(e);
        }
        for (int t = 0; t < 10; t++) {
            e.tick(); // the old leader falls silent
        }
        cycle(e);
        Ballot candidate = new Ballot(4, 2);
        java.util.Map<Long, SlotValue> reported = new java.util.TreeMap<>();
        long from = 1;
        int pages = 0;
        while (from != 0) {
            e.step(2, new Message.Prepare(candidate, from));
            Message.Promise page = (Message.Promise) messages(cycle(e).sendAfterPersist()).get(0);
            assertTrue(PaxosCodec.encode(1, page).length <= 1024 * 1024, "a promise fits a 1 MiB transport message");
            assertEquals(from, page.fromSlot());
            assertFalse(page.entries().isEmpty(), "every page makes progress");
            page.entries().forEach(entry -> reported.put(entry.slot(), entry.value()));
            from = page.resumeSlot();
            pages++;
        }
        assertTrue(pages > 1, "the tail needs several pages, got " + pages);
        assertEquals(tail, reported.size());
        reported.forEach((slot, value) -> assertEquals(fullBatch(slot), value, "slot " + slot));
    }

    @Test
    void aCandidateProposesNothingUntilAQuorumHasReportedItsWholeTail() {
        PaxosEngine e = engine(0, true);
        for (int t = 0; t < 40 && e.status().role() != Role.PRE_CANDIDATE; t++) {
            e.tick();
        }
        e.step(1, new Message.PreVoteReply(e.status().promised().round() + 1, true));
        Ballot ballot = ((Message.Prepare) cycle(e).sendAfterPersist().get(0).message()).ballot();
        Ballot older = new Ballot(1, 2);
        e.step(1, new Message.Promise(ballot, 0, 0, 1, List.of(new Message.PromiseEntry(1, older, fullBatch(1), false)), 2));
        Ready afterFirstPage = cycle(e);
        assertEquals(Role.CANDIDATE, e.status().role(), "a quorum of first pages is not phase 1 done");
        assertFalse(messages(afterFirstPage.sendNow()).stream().anyMatch(m -> m instanceof Message.Accept));
        assertTrue(messages(afterFirstPage.sendNow()).contains(new Message.Prepare(ballot, 2)), "asks for the rest");
        e.step(1, new Message.Promise(ballot, 0, 0, 2, List.of(new Message.PromiseEntry(3, older, fullBatch(3), false)), 0));
        assertEquals(Role.LEADER, e.status().role());
        List<Message> accepts = messages(cycle(e).sendNow()).stream().filter(m -> m instanceof Message.Accept).toList();
        assertTrue(accepts.contains(new Message.Accept(ballot, 1, fullBatch(1), 0)));
        assertTrue(accepts.contains(new Message.Accept(ballot, 2, SlotValue.NOOP, 0)), "the hole becomes a no-op");
        assertTrue(accepts.contains(new Message.Accept(ballot, 3, fullBatch(3), 0)), "the second page's value is adopted");
    }

    /** Node 1 of three, holding {@code slots} chosen full batches from leader 0. */
    private static PaxosEngine followerWithChosenBatches(int slots) {
        PaxosEngine e = engine(1, true);
        cycle(e);
        Ballot ballot = new Ballot(3, 0);
        for (int slot = 1; slot <= slots; slot++) {
            e.step(0, new Message.Accept(ballot, slot, fullBatch(slot), 0));
            cycle(e);
        }
        e.step(0, new Message.Heartbeat(ballot, slots));
        cycle(e);
        return e;
    }

    @Test
    void aCatchupRequestIsAnsweredWithSeveralBoundedRepliesBackToBack() {
        PaxosEngine e = followerWithChosenBatches(60);
        e.step(2, new Message.CatchupRequest(1, 0, 0, EngineLimits.catchupRepliesPerRequestMax));
        List<Message.CatchupReply> replies = messages(e.ready().sendNow()).stream()
                .filter(m -> m instanceof Message.CatchupReply).map(m -> (Message.CatchupReply) m).toList();
        assertEquals(EngineLimits.catchupRepliesPerRequestMax, replies.size());
        long next = 1;
        for (Message.CatchupReply reply : replies) {
            assertEquals(next, reply.entries().get(0).slot(), "replies are contiguous");
            next += reply.entries().size();
            assertTrue(PaxosCodec.encode(1, reply).length <= EngineLimits.messageBytesMax);
        }
        for (Message.CatchupReply reply : replies) {
            assertEquals(next, reply.streamNext(), "every reply says where the run ends");
        }
    }

    @Test
    void aLaggingNodeAsksForTheNextRunWhenTheFirstReplyOfTheLastOneArrives() {
        PaxosEngine source = followerWithChosenBatches(60);
        PaxosEngine lagging = engine(2, true);
        cycle(lagging);
        lagging.step(0, new Message.Heartbeat(new Ballot(3, 0), 60));
        Message.CatchupRequest first = (Message.CatchupRequest) messages(cycle(lagging).sendNow()).stream()
                .filter(m -> m instanceof Message.CatchupRequest).findFirst().orElseThrow();
        assertEquals(1, first.fromSlot());
        source.step(2, first);
        List<Message> run = messages(cycle(source).sendNow());
        Message.CatchupReply head = (Message.CatchupReply) run.get(0);
        lagging.step(0, head); // the request went to the leader, node 0
        List<Message> asked = messages(cycle(lagging).sendNow()).stream()
                .filter(m -> m instanceof Message.CatchupRequest).toList();
        assertEquals(List.of(new Message.CatchupRequest(head.streamNext(), 0, 0, EngineLimits.catchupRepliesPerRequestMax)),
                asked, "the next run is requested before the rest of this one arrives");
        for (Message reply : run.subList(1, run.size())) {
            lagging.step(0, reply);
            cycle(lagging);
        }
        assertEquals(head.streamNext() - 1, lagging.status().chosenThrough());
    }
}
