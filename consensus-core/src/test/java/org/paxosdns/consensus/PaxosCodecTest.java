package org.paxosdns.consensus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.paxosdns.proto.FormatVersion;
import org.paxosdns.proto.PaxosMessage;
import org.paxosdns.proto.PaxosBallot;
import org.paxosdns.proto.PaxosCatchupRequest;
import org.paxosdns.proto.PaxosPrepare;
import org.paxosdns.proto.PaxosPromise;

class PaxosCodecTest {
    private static final Ballot b = new Ballot(7, 2);
    private static final SlotValue v = new SlotValue(List.of(new byte[] {1, 2}, new byte[0], new byte[] {9}));

    static List<Message> everyKind() {
        return List.of(
                new Message.PreVote(5),
                new Message.PreVoteReply(5, true),
                new Message.Prepare(b, 3),
                new Message.Promise(b, 2, 1, 3, List.of(new Message.PromiseEntry(3, new Ballot(6, 1), v, false),
                        new Message.PromiseEntry(4, Ballot.ZERO, SlotValue.NOOP, true)), 5),
                new Message.Accept(b, 4, v, 3),
                new Message.Accepted(b, 4),
                new Message.Nack(b),
                new Message.Heartbeat(b, 9),
                new Message.HeartbeatReply(b, 8),
                new Message.CatchupRequest(5, 4, 100, 3),
                new Message.CatchupReply(List.of(new Message.ChosenEntry(5, v)), 9, 6),
                new Message.SnapshotChunk(4, 0, 3, new byte[] {1, 2, 3}, 3),
                new Message.Forward(-5, 3, List.of(new byte[] {4, 5})),
                new Message.RejoinQuery(),
                new Message.RejoinInfo(b, 4, 6));
    }

    @Test
    void everyMessageKindRoundTrips() throws PaxosCodecException {
        for (Message m : everyKind()) {
            PaxosCodec.Decoded d = PaxosCodec.decode(PaxosCodec.encode(3, m));
            assertEquals(3, d.appNdx());
            assertEquals(PaxosCodec.encode(3, m).length, PaxosCodec.encode(3, d.message()).length, m.toString());
            assertArrayEquals(PaxosCodec.encode(3, m), PaxosCodec.encode(3, d.message()), m.toString());
        }
    }

    @Test
    void everyRecordKindRoundTrips() throws PaxosCodecException {
        List<Durable> records = List.of(new Durable.Promised(b), new Durable.Accepted(4, b, v),
                new Durable.Learned(5, v), new Durable.ChosenThrough(5), new Durable.VoterMark());
        for (Durable r : records) {
            Durable back = PaxosCodec.decodeRecord(PaxosCodec.encodeRecord(r));
            assertEquals(r.getClass(), back.getClass());
            assertArrayEquals(PaxosCodec.encodeRecord(r), PaxosCodec.encodeRecord(back));
        }
        assertEquals(new Durable.Accepted(4, b, v), PaxosCodec.decodeRecord(PaxosCodec.encodeRecord(new Durable.Accepted(4, b, v))));
    }

    @Test
    void garbageNeverDecodesToAnythingButACheckedError() {
        Random random = new Random(42);
        int refused = 0;
        for (Message m : everyKind()) {
            byte[] good = PaxosCodec.encode(1, m);
            for (int trial = 0; trial < 300; trial++) {
                byte[] bad = good.clone();
                if (trial % 3 == 0) {
                    bad = java.util.Arrays.copyOf(bad, random.nextInt(bad.length + 1));
                } else {
                    bad[random.nextInt(bad.length)] ^= (byte) (1 + random.nextInt(255));
                }
                try {
                    PaxosCodec.decode(bad);
                } catch (PaxosCodecException e) {
                    refused++;
                }
            }
        }
        for (int trial = 0; trial < 2000; trial++) {
            byte[] noise = new byte[random.nextInt(64)];
            random.nextBytes(noise);
            try {
                PaxosCodec.decode(noise);
                PaxosCodec.decodeRecord(noise);
            } catch (PaxosCodecException e) {
                refused++;
            }
        }
        assertEquals(true, refused > 1000, "most garbage is refused: " + refused);
    }

    @Test
    void unknownVersionAndOutOfRangeFieldsAreRefused() {
        byte[] noVersion = PaxosMessage.newBuilder().setPrepare(PaxosPrepare.newBuilder().setFromSlot(1)).build().toByteArray();
        assertThrows(PaxosCodecException.class, () -> PaxosCodec.decode(noVersion));
        byte[] slotZero = PaxosMessage.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setPrepare(PaxosPrepare.newBuilder().setFromSlot(0)).build().toByteArray();
        assertThrows(PaxosCodecException.class, () -> PaxosCodec.decode(slotZero));
        byte[] hugeSlot = PaxosMessage.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setPrepare(PaxosPrepare.newBuilder().setFromSlot(-1L)).build().toByteArray();
        assertThrows(PaxosCodecException.class, () -> PaxosCodec.decode(hugeSlot));
        byte[] empty = PaxosMessage.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1).build().toByteArray();
        assertThrows(PaxosCodecException.class, () -> PaxosCodec.decode(empty));
        assertThrows(PaxosCodecException.class, () -> PaxosCodec.decode(new byte[PaxosCodec.messageBytesMax + 1]));
    }

    @Test
    void forgedPromisePagesAndCatchupWindowsAreRefusedOrClamped() throws PaxosCodecException {
        PaxosBallot ballot = PaxosBallot.newBuilder().setRound(7).setNode(2).build();
        byte[] noStart = PaxosMessage.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setPromise(PaxosPromise.newBuilder().setBallot(ballot)).build().toByteArray();
        assertThrows(PaxosCodecException.class, () -> PaxosCodec.decode(noStart), "a promise must say where it starts");
        byte[] backwards = PaxosMessage.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setPromise(PaxosPromise.newBuilder().setBallot(ballot).setFromSlot(9).setResumeSlot(9)).build().toByteArray();
        assertThrows(PaxosCodecException.class, () -> PaxosCodec.decode(backwards), "a page that does not move forward");
        byte[] greedy = PaxosMessage.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setCatchupRequest(PaxosCatchupRequest.newBuilder().setFromSlot(1).setReplies(1_000_000)).build().toByteArray();
        assertEquals(EngineLimits.catchupRepliesPerRequestMax,
                ((Message.CatchupRequest) PaxosCodec.decode(greedy).message()).replies(), "a request takes at most the window");
        Message huge = new Message.Forward(1, 1, java.util.Collections.nCopies(80, new byte[EngineLimits.commandBytesMax]));
        assertThrows(IllegalStateException.class, () -> PaxosCodec.encode(1, huge), "nothing over messageBytesMax leaves");
    }
}
