package org.paxosdns.server.node;

import com.google.protobuf.ByteString;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.paxosdns.consensus.host.Replica;
import org.paxosdns.identity.Roster;
import org.paxosdns.proto.CommanderResponse;
import org.paxosdns.proto.FormatVersion;
import org.paxosdns.proto.KvReply;
import org.paxosdns.server.commander.CommanderServer;
import org.paxosdns.server.kv.DecodedKvCommand;
import org.paxosdns.server.kv.KvCodec;
import org.paxosdns.server.kv.KvRefusedException;
import org.paxosdns.server.kv.KvStateMachine;

/**
 * The commander path of the key-value application at the receiving server: the signed command
 * is decoded and its signature verified here, once (on the calling thread when no other command
 * is being admitted, else on the command pool); a seq the window already ruled on gets the
 * cached ruling; puts and compare-and-sets are proposed. Gets are linearizable by a read barrier:
 * {@link Replica#readIndex()} puts a no-op through the leader's log (confirmed by a majority, so
 * no lease and no trust in clocks), and once this node has applied through it, the local state
 * is at least as new as every write acknowledged before the get was invoked.
 */
final class KvCommands implements AutoCloseable {
    private final LeaderFollower leader;
    private final KvStateMachine state;
    private final Replica replica;
    private final Roster roster;
    private final ExecutorService executor;
    /** Commands being admitted (on the pool, queued for it, or on a calling thread). */
    private final AtomicInteger admitting = new AtomicInteger();

    KvCommands(KvStateMachine state, Replica replica, Roster roster, ExecutorService executor) {
        this.state = state;
        this.replica = replica;
        this.roster = roster;
        this.executor = executor;
        this.leader = new LeaderFollower(replica, "kv");
    }

    @Override
    public void close() {
        leader.close();
    }

    /**
     * Admits the command on the calling thread (the commander port's event loop) when nothing else
     * is being admitted: one at a time, the hand-off to the pool cost more (a wake-up, 25-40 us
     * p50 here) than it spared the event loop. Otherwise the pool admits it, in parallel.
     */
    CompletableFuture<CommanderResponse> handle(long id, byte[] signed) {
        if (admitting.getAndIncrement() == 0) {
            Object admitted;
            try {
                admitted = admit(signed);
            } finally {
                admitting.decrementAndGet();
            }
            return execute(id, signed, admitted);
        }
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return admit(signed);
                } finally {
                    admitting.decrementAndGet();
                }
            }, executor).thenCompose(admitted -> execute(id, signed, admitted));
        } catch (RejectedExecutionException e) {
            admitting.decrementAndGet();
            return CompletableFuture.completedFuture(CommanderServer.error(id, true, "server busy: try again or another server"));
        }
    }

    /** The decoded, verified command, or the reply that answers it without the log. */
    private Object admit(byte[] signed) {
        try {
            DecodedKvCommand command = KvCodec.decode(signed, roster.clusterId());
            KvCodec.verify(command, roster);
            if (command.isRead()) {
                return command;
            }
            Optional<KvReply> known = state.ruling(command);
            return known.isPresent() ? known.get() : command;
        } catch (KvRefusedException e) {
            return KvReply.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1).setStatus(KvReply.Status.REFUSED)
                    .setMessage(e.getMessage()).setStateNdx(state.stateNdx()).build();
        }
    }

    private CompletableFuture<CommanderResponse> execute(long id, byte[] signed, Object admitted) {
        if (admitted instanceof KvReply reply) {
            return CompletableFuture.completedFuture(kvReply(id, reply.toByteString()));
        }
        DecodedKvCommand command = (DecodedKvCommand) admitted;
        CompletableFuture<ByteString> reply = command.isRead()
                ? leader.readIndex().thenApply(slot -> state.read(command.command().getGet().getKey())
                        .toBuilder().setSeq(command.seq()).build().toByteString())
                : leader.propose(signed).thenApply(ByteString::copyFrom);
        return reply.handle((bytes, failure) -> failure == null ? kvReply(id, bytes) : LeaderFollower.failed(id, failure));
    }

    private static CommanderResponse kvReply(long id, ByteString reply) {
        return CommanderResponse.newBuilder().setFormatVersion(1).setRequestId(id).setKvReply(reply).build();
    }
}
