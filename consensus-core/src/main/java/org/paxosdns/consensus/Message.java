package org.paxosdns.consensus;

import java.util.List;

/**
 * The messages engines of one application exchange. Each kind is a record; the sender is given to
 * {@link PaxosEngine#step(int, Message)} by the transport, never trusted from the message.
 */
public sealed interface Message {

    /** Asks whether peers would support an election at {@code round} (no state changes on grant). */
    record PreVote(long round) implements Message { }

    /** Answer to a {@link PreVote}. */
    record PreVoteReply(long round, boolean granted) implements Message { }

    /** Phase 1a: asks for a promise at {@code ballot} for every slot from {@code fromSlot}. */
    record Prepare(Ballot ballot, long fromSlot) implements Message { }

    /** One slot's accepted value as reported in a promise; {@code chosen} when known chosen. */
    record PromiseEntry(long slot, Ballot ballot, SlotValue value, boolean chosen) { }

    /**
     * Phase 1b: a durable promise at {@code ballot}, with the acceptor's chosen prefix, its
     * snapshot point and its accepted slots above its chosen prefix from {@code fromSlot} (the
     * prepare's start) on. One promise carries at most {@link EngineLimits#promiseBytesMax} of
     * values: {@code resumeSlot} is 0 when the entries reach the acceptor's last slot, otherwise
     * the first slot not reported, which the candidate asks for with another prepare at the same
     * ballot.
     */
    record Promise(Ballot ballot, long chosenThrough, long snapshotSlot, long fromSlot, List<PromiseEntry> entries,
            long resumeSlot) implements Message {
        public Promise {
            entries = List.copyOf(entries);
        }
    }

    /** Phase 2a: accept {@code value} at {@code slot}; also carries the leader's chosen prefix. */
    record Accept(Ballot ballot, long slot, SlotValue value, long chosenThrough) implements Message { }

    /** Phase 2b: the acceptor durably accepted {@code slot} at {@code ballot}. */
    record Accepted(Ballot ballot, long slot) implements Message { }

    /** Refusal: the acceptor has promised {@code promised}, above the ballot it was asked for. */
    record Nack(Ballot promised) implements Message { }

    /**
     * The leader's liveness beacon and chosen announcement: every slot up to {@code chosenThrough}
     * is chosen, and a replica whose accepted ballot for such a slot equals {@code ballot} holds
     * the chosen value.
     */
    record Heartbeat(Ballot ballot, long chosenThrough) implements Message { }

    /** Answer to a {@link Heartbeat}; lets the leader check it still has a quorum. */
    record HeartbeatReply(Ballot ballot, long chosenThrough) implements Message { }

    /**
     * Asks a peer for chosen values from {@code fromSlot}, or for its snapshot from
     * {@code snapshotOffset}: up to {@code replies} replies (or chunks) back to back, at most
     * {@link EngineLimits#catchupRepliesPerRequestMax}.
     */
    record CatchupRequest(long fromSlot, long snapshotSlot, long snapshotOffset, int replies) implements Message { }

    /** A chosen value. */
    record ChosenEntry(long slot, SlotValue value) { }

    /**
     * Chosen values, contiguous, and the sender's chosen prefix; {@code streamNext} is the first
     * slot after the last reply the sender sent for the same request, where the next request starts.
     */
    record CatchupReply(List<ChosenEntry> entries, long chosenThrough, long streamNext) implements Message {
        public CatchupReply {
            entries = List.copyOf(entries);
        }
    }

    /**
     * One chunk of a snapshot of {@code totalBytes} covering slots up to {@code lastSlot};
     * {@code streamNext} is the offset after the last chunk sent for the same request.
     */
    record SnapshotChunk(long lastSlot, long offset, long totalBytes, byte[] data, long streamNext) implements Message {
        public SnapshotChunk {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }
    }

    /**
     * Commands a follower hands to the leader it knows; {@code (epoch, seq)} identifies the batch so
     * a duplicated delivery is not proposed twice (epoch: random per engine incarnation).
     */
    record Forward(long epoch, long seq, List<byte[]> commands) implements Message {
        public Forward {
            commands = List.copyOf(commands);
        }
    }

    /** Asks a voter for what a node that lost its durable state must catch up to. */
    record RejoinQuery() implements Message { }

    /** A voter's promise, chosen prefix and highest stored slot, for a rejoining node. */
    record RejoinInfo(Ballot promised, long chosenThrough, long maxSlot) implements Message { }
}
