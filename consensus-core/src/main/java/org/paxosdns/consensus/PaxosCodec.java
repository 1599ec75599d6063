package org.paxosdns.consensus;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import java.util.ArrayList;
import java.util.List;
import org.paxosdns.proto.AliasingInput;
import org.paxosdns.proto.FormatVersion;
import org.paxosdns.proto.PaxosAccept;
import org.paxosdns.proto.PaxosAccepted;
import org.paxosdns.proto.PaxosBallot;
import org.paxosdns.proto.PaxosCatchupReply;
import org.paxosdns.proto.PaxosCatchupRequest;
import org.paxosdns.proto.PaxosChosenEntry;
import org.paxosdns.proto.PaxosForward;
import org.paxosdns.proto.PaxosHeartbeat;
import org.paxosdns.proto.PaxosHeartbeatReply;
import org.paxosdns.proto.PaxosMessage;
import org.paxosdns.proto.PaxosNack;
import org.paxosdns.proto.PaxosPreVote;
import org.paxosdns.proto.PaxosPreVoteReply;
import org.paxosdns.proto.PaxosPrepare;
import org.paxosdns.proto.PaxosPromise;
import org.paxosdns.proto.PaxosPromiseEntry;
import org.paxosdns.proto.PaxosRejoinInfo;
import org.paxosdns.proto.PaxosRejoinQuery;
import org.paxosdns.proto.PaxosSnapshotChunk;
import org.paxosdns.proto.PaxosValue;
import org.paxosdns.proto.PaxosWalAccepted;
import org.paxosdns.proto.PaxosWalRecord;

/**
 * Encodes engine messages and log records to the protobuf formats of {@code paxos.proto}
 * (format version 1) and decodes them back, checking every field against the engine's limits:
 * decoding never throws anything but {@link PaxosCodecException}.
 */
public final class PaxosCodec {
    /** Bytes of one encoded message ({@link EngineLimits#messageBytesMax}); both directions enforce it. */
    public static final int messageBytesMax = EngineLimits.messageBytesMax;

    /** A decoded message and the application it belongs to. */
    public record Decoded(int appNdx, Message message) { }

    private PaxosCodec() {
    }

    /**
     * Encodes {@code message} of application {@code appNdx}. An encoding over
     * {@link #messageBytesMax} is an engine bug (every kind is bounded below it) and throws
     * {@link IllegalStateException}.
     */
    public static byte[] encode(int appNdx, Message message) {
        PaxosMessage.Builder b = PaxosMessage.newBuilder()
                .setFormatVersion(FormatVersion.FORMAT_VERSION_1).setAppNdx(appNdx);
        MessageEncoder.into(b, message);
        byte[] bytes = b.build().toByteArray();
        if (bytes.length > messageBytesMax) {
            throw new IllegalStateException(message.getClass().getSimpleName() + " of " + bytes.length
                    + " bytes exceeds " + messageBytesMax);
        }
        return bytes;
    }

    /**
     * Decodes bytes made by {@link #encode}; anything else gives a {@link PaxosCodecException}.
     * Parsing aliases {@code bytes} (each command is copied out once, by the decoders below), so the
     * caller must not change them afterwards: a received message, a log record read.
     */
    public static Decoded decode(byte[] bytes) throws PaxosCodecException {
        if (bytes.length > messageBytesMax) {
            throw new PaxosCodecException("message of " + bytes.length + " bytes exceeds " + messageBytesMax);
        }
        PaxosMessage m;
        try {
            m = PaxosMessage.parser().parseFrom(AliasingInput.of(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw new PaxosCodecException("not a Paxos message: " + e.getMessage(), e);
        }
        checkVersion(m.getFormatVersion());
        return new Decoded(m.getAppNdx(), MessageDecoder.from(m));
    }

    /** Encodes a log record. */
    public static byte[] encodeRecord(Durable record) {
        PaxosWalRecord.Builder b = PaxosWalRecord.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1);
        if (record instanceof Durable.Promised p) {
            b.setPromised(ballot(p.ballot()));
        } else if (record instanceof Durable.Accepted a) {
            b.setAccepted(PaxosWalAccepted.newBuilder().setSlot(a.slot()).setBallot(ballot(a.ballot()))
                    .setValue(value(a.value())));
        } else if (record instanceof Durable.Learned l) {
            b.setLearned(PaxosChosenEntry.newBuilder().setSlot(l.slot()).setValue(value(l.value())));
        } else if (record instanceof Durable.ChosenThrough c) {
            b.setChosenThrough(c.slot());
        } else {
            b.setVoterMark(true);
        }
        return b.build().toByteArray();
    }

    /** Decodes a log record made by {@link #encodeRecord}. */
    public static Durable decodeRecord(byte[] bytes) throws PaxosCodecException {
        PaxosWalRecord r;
        try {
            r = PaxosWalRecord.parser().parseFrom(AliasingInput.of(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw new PaxosCodecException("not a log record: " + e.getMessage(), e);
        }
        checkVersion(r.getFormatVersion());
        switch (r.getKindCase()) {
            case PROMISED:
                return new Durable.Promised(ballot(r.getPromised()));
            case ACCEPTED:
                PaxosWalAccepted a = r.getAccepted();
                return new Durable.Accepted(slot(a.getSlot()), ballot(a.getBallot()), value(a.getValue()));
            case LEARNED:
                return new Durable.Learned(slot(r.getLearned().getSlot()), value(r.getLearned().getValue()));
            case CHOSEN_THROUGH:
                return new Durable.ChosenThrough(count(r.getChosenThrough()));
            case VOTER_MARK:
                return new Durable.VoterMark();
            default:
                throw new PaxosCodecException("log record without a kind");
        }
    }

    /**
     * The command as a protobuf field without a copy: the wrapper lives only until the message that
     * holds it is serialized, within the same call, and commands are never changed once proposed.
     */
    private static ByteString wrap(byte[] command) {
        return UnsafeByteOperations.unsafeWrap(command);
    }

    private static void checkVersion(FormatVersion version) throws PaxosCodecException {
        if (version != FormatVersion.FORMAT_VERSION_1) {
            throw new PaxosCodecException("unknown format version " + version);
        }
    }

    static PaxosBallot ballot(Ballot b) {
        return PaxosBallot.newBuilder().setRound(b.round()).setNode(b.node()).build();
    }

    static PaxosValue value(SlotValue v) {
        PaxosValue.Builder b = PaxosValue.newBuilder();
        for (byte[] command : v.commands()) {
            b.addCommands(wrap(command));
        }
        return b.build();
    }

    static Ballot ballot(PaxosBallot b) throws PaxosCodecException {
        if (b.getRound() < 0 || b.getNode() < -1 || b.getNode() >= EngineLimits.clusterSizeMax) {
            throw new PaxosCodecException("bad ballot " + b.getRound() + "." + b.getNode());
        }
        return new Ballot(b.getRound(), b.getNode());
    }

    static SlotValue value(PaxosValue v) throws PaxosCodecException {
        return new SlotValue(commands(v.getCommandsList()));
    }

    static List<byte[]> commands(List<ByteString> raw) throws PaxosCodecException {
        if (raw.size() > EngineLimits.batchCommandsMax) {
            throw new PaxosCodecException(raw.size() + " commands in one batch, limit " + EngineLimits.batchCommandsMax);
        }
        List<byte[]> out = new ArrayList<>(raw.size());
        for (ByteString command : raw) {
            if (command.size() > EngineLimits.commandBytesMax) {
                throw new PaxosCodecException("command of " + command.size() + " bytes");
            }
            out.add(command.toByteArray());
        }
        return out;
    }

    /** A slot number: at least 1. */
    static long slot(long raw) throws PaxosCodecException {
        if (raw < 1) {
            throw new PaxosCodecException("bad slot " + raw);
        }
        return raw;
    }

    /** A slot count or "through" mark: at least 0 (uint64 above 2^63 reads negative). */
    static long count(long raw) throws PaxosCodecException {
        if (raw < 0) {
            throw new PaxosCodecException("bad slot mark " + Long.toUnsignedString(raw));
        }
        return raw;
    }

    /** Builds the protobuf form of each message kind. */
    private static final class MessageEncoder {
        static void into(PaxosMessage.Builder b, Message message) {
            if (message instanceof Message.PreVote m) {
                b.setPreVote(PaxosPreVote.newBuilder().setRound(m.round()));
            } else if (message instanceof Message.PreVoteReply m) {
                b.setPreVoteReply(PaxosPreVoteReply.newBuilder().setRound(m.round()).setGranted(m.granted()));
            } else if (message instanceof Message.Prepare m) {
                b.setPrepare(PaxosPrepare.newBuilder().setBallot(ballot(m.ballot())).setFromSlot(m.fromSlot()));
            } else if (message instanceof Message.Promise m) {
                b.setPromise(promise(m));
            } else if (message instanceof Message.Accept m) {
                b.setAccept(PaxosAccept.newBuilder().setBallot(ballot(m.ballot())).setSlot(m.slot())
                        .setValue(value(m.value())).setChosenThrough(m.chosenThrough()));
            } else if (message instanceof Message.Accepted m) {
                b.setAccepted(PaxosAccepted.newBuilder().setBallot(ballot(m.ballot())).setSlot(m.slot()));
            } else if (message instanceof Message.Nack m) {
                b.setNack(PaxosNack.newBuilder().setPromised(ballot(m.promised())));
            } else {
                intoRest(b, message);
            }
        }

        private static void intoRest(PaxosMessage.Builder b, Message message) {
            if (message instanceof Message.Heartbeat m) {
                b.setHeartbeat(PaxosHeartbeat.newBuilder().setBallot(ballot(m.ballot())).setChosenThrough(m.chosenThrough()));
            } else if (message instanceof Message.HeartbeatReply m) {
                b.setHeartbeatReply(PaxosHeartbeatReply.newBuilder().setBallot(ballot(m.ballot()))
                        .setChosenThrough(m.chosenThrough()));
            } else if (message instanceof Message.CatchupRequest m) {
                b.setCatchupRequest(PaxosCatchupRequest.newBuilder().setFromSlot(m.fromSlot())
                        .setSnapshotSlot(m.snapshotSlot()).setSnapshotOffset(m.snapshotOffset()).setReplies(m.replies()));
            } else if (message instanceof Message.CatchupReply m) {
                PaxosCatchupReply.Builder r = PaxosCatchupReply.newBuilder().setChosenThrough(m.chosenThrough())
                        .setStreamNext(m.streamNext());
                m.entries().forEach(e -> r.addEntries(PaxosChosenEntry.newBuilder().setSlot(e.slot()).setValue(value(e.value()))));
                b.setCatchupReply(r);
            } else if (message instanceof Message.SnapshotChunk m) {
                b.setSnapshotChunk(PaxosSnapshotChunk.newBuilder().setLastSlot(m.lastSlot()).setOffset(m.offset())
                        .setTotalBytes(m.totalBytes()).setData(ByteString.copyFrom(m.data())).setStreamNext(m.streamNext()));
            } else if (message instanceof Message.RejoinQuery) {
                b.setRejoinQuery(PaxosRejoinQuery.getDefaultInstance());
            } else if (message instanceof Message.RejoinInfo m) {
                b.setRejoinInfo(PaxosRejoinInfo.newBuilder().setPromised(ballot(m.promised()))
                        .setChosenThrough(m.chosenThrough()).setMaxSlot(m.maxSlot()));
            } else if (message instanceof Message.Forward m) {
                PaxosForward.Builder f = PaxosForward.newBuilder().setEpoch(m.epoch()).setSeq(m.seq());
                m.commands().forEach(c -> f.addCommands(wrap(c)));
                b.setForward(f);
            } else {
                throw new IllegalArgumentException("unknown message kind " + message.getClass());
            }
        }

        private static PaxosPromise promise(Message.Promise m) {
            PaxosPromise.Builder p = PaxosPromise.newBuilder().setBallot(ballot(m.ballot()))
                    .setChosenThrough(m.chosenThrough()).setSnapshotSlot(m.snapshotSlot())
                    .setFromSlot(m.fromSlot()).setResumeSlot(m.resumeSlot());
            for (Message.PromiseEntry e : m.entries()) {
                p.addEntries(PaxosPromiseEntry.newBuilder().setSlot(e.slot()).setBallot(ballot(e.ballot()))
                        .setValue(value(e.value())).setChosen(e.chosen()));
            }
            return p.build();
        }
    }

    /** Checks and converts the protobuf form of each message kind. */
    private static final class MessageDecoder {
        static Message from(PaxosMessage m) throws PaxosCodecException {
            switch (m.getKindCase()) {
                case PRE_VOTE:
                    return new Message.PreVote(count(m.getPreVote().getRound()));
                case PRE_VOTE_REPLY:
                    return new Message.PreVoteReply(count(m.getPreVoteReply().getRound()), m.getPreVoteReply().getGranted());
                case PREPARE:
                    return new Message.Prepare(ballot(m.getPrepare().getBallot()), slot(m.getPrepare().getFromSlot()));
                case PROMISE:
                    return promise(m.getPromise());
                case ACCEPT:
                    PaxosAccept a = m.getAccept();
                    return new Message.Accept(ballot(a.getBallot()), slot(a.getSlot()), value(a.getValue()),
                            count(a.getChosenThrough()));
                case ACCEPTED:
                    return new Message.Accepted(ballot(m.getAccepted().getBallot()), slot(m.getAccepted().getSlot()));
                case NACK:
                    return new Message.Nack(ballot(m.getNack().getPromised()));
                default:
                    return fromRest(m);
            }
        }

        private static Message fromRest(PaxosMessage m) throws PaxosCodecException {
            switch (m.getKindCase()) {
                case HEARTBEAT:
                    return new Message.Heartbeat(ballot(m.getHeartbeat().getBallot()), count(m.getHeartbeat().getChosenThrough()));
                case HEARTBEAT_REPLY:
                    return new Message.HeartbeatReply(ballot(m.getHeartbeatReply().getBallot()),
                            count(m.getHeartbeatReply().getChosenThrough()));
                case CATCHUP_REQUEST:
                    PaxosCatchupRequest r = m.getCatchupRequest();
                    return new Message.CatchupRequest(slot(r.getFromSlot()), count(r.getSnapshotSlot()),
                            count(r.getSnapshotOffset()), Math.max(1, Math.min(r.getReplies(), EngineLimits.catchupRepliesPerRequestMax)));
                case CATCHUP_REPLY:
                    return catchupReply(m.getCatchupReply());
                case SNAPSHOT_CHUNK:
                    return snapshotChunk(m.getSnapshotChunk());
                case REJOIN_QUERY:
                    return new Message.RejoinQuery();
                case REJOIN_INFO:
                    PaxosRejoinInfo ri = m.getRejoinInfo();
                    return new Message.RejoinInfo(ballot(ri.getPromised()), count(ri.getChosenThrough()), count(ri.getMaxSlot()));
                case FORWARD:
                    PaxosForward f = m.getForward();
                    return new Message.Forward(f.getEpoch(), count(f.getSeq()), commands(f.getCommandsList()));
                default:
                    throw new PaxosCodecException("message without a kind");
            }
        }

        private static Message promise(PaxosPromise p) throws PaxosCodecException {
            if (p.getEntriesCount() > EngineLimits.promiseEntriesMax) {
                throw new PaxosCodecException("promise with " + p.getEntriesCount() + " entries");
            }
            List<Message.PromiseEntry> entries = new ArrayList<>();
            for (PaxosPromiseEntry e : p.getEntriesList()) {
                entries.add(new Message.PromiseEntry(slot(e.getSlot()), ballot(e.getBallot()), value(e.getValue()), e.getChosen()));
            }
            long fromSlot = slot(p.getFromSlot());
            long resumeSlot = count(p.getResumeSlot());
            if (resumeSlot != 0 && resumeSlot <= fromSlot) {
                throw new PaxosCodecException("promise resumes at " + resumeSlot + " from " + fromSlot);
            }
            return new Message.Promise(ballot(p.getBallot()), count(p.getChosenThrough()), count(p.getSnapshotSlot()),
                    fromSlot, entries, resumeSlot);
        }

        private static Message catchupReply(PaxosCatchupReply r) throws PaxosCodecException {
            if (r.getEntriesCount() > EngineLimits.catchupEntriesMax) {
                throw new PaxosCodecException("catch-up reply with " + r.getEntriesCount() + " entries");
            }
            List<Message.ChosenEntry> entries = new ArrayList<>();
            for (PaxosChosenEntry e : r.getEntriesList()) {
                entries.add(new Message.ChosenEntry(slot(e.getSlot()), value(e.getValue())));
            }
            return new Message.CatchupReply(entries, count(r.getChosenThrough()), count(r.getStreamNext()));
        }

        private static Message snapshotChunk(PaxosSnapshotChunk c) throws PaxosCodecException {
            if (c.getData().size() > EngineLimits.snapshotChunkBytesMax) {
                throw new PaxosCodecException("snapshot chunk of " + c.getData().size() + " bytes");
            }
            long total = count(c.getTotalBytes());
            long offset = count(c.getOffset());
            if (total > EngineLimits.snapshotBytesMax || offset + c.getData().size() > total) {
                throw new PaxosCodecException("snapshot chunk outside its snapshot");
            }
            return new Message.SnapshotChunk(count(c.getLastSlot()), offset, total, c.getData().toByteArray(),
                    count(c.getStreamNext()));
        }
    }
}
