package org.paxosdns.server.node;

import com.google.protobuf.ByteString;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.paxosdns.consensus.host.ProposalException;
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
 * is decoded and its signature verified here, once; a seq the window already ruled on gets the
 * cached ruling; puts and compare-and-sets are proposed. Gets are linearizable by a read barrier:
 * {@link Replica#readIndex()} puts a no-op through the leader's log (confirmed by a majority, so
 * no lease and no trust in clocks), and once this node has applied through it, the local state
 * is at least as new as every write acknowledged before the get was invoked.
 */
final class KvCommands implements AutoCloseable {
    /** How often a waiting write or read looks whether this node's leader changed, in milliseconds. */
    static final long LEADER_WATCH_MS = 25;
    /** How long a write or read waits for this node to know a leader before it is refused, in milliseconds. */
    static final long LEADER_WAIT_MS_MAX = 2_000;
    /** Most times one write or read is sent again to a new leader. */
    static final int RESENDS_MAX = 3;

    private final ScheduledExecutorService timer;
    private final KvStateMachine state;
    private final Replica replica;
    private final Roster roster;
    private final ExecutorService executor;

    KvCommands(KvStateMachine state, Replica replica, Roster roster, ExecutorService executor) {
        this.state = state;
        this.replica = replica;
        this.roster = roster;
        this.executor = executor;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kv-leader-watch");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    CompletableFuture<CommanderResponse> handle(long id, byte[] signed) {
        try {
            return CompletableFuture.supplyAsync(() -> admit(signed), executor).thenCompose(admitted -> execute(id, signed, admitted));
        } catch (RejectedExecutionException e) {
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
                ? followingLeader(replica::readIndex).thenApply(slot -> state.read(command.command().getGet().getKey())
                        .toBuilder().setSeq(command.seq()).build().toByteString())
                : followingLeader(() -> replica.propose(signed)).thenApply(ByteString::copyFrom);
        return reply.handle((bytes, failure) -> failure == null ? kvReply(id, bytes) : failed(id, failure));
    }

    /**
     * Sends a write or a read barrier and, should this node's leader change while it waits, sends
     * it again: what was forwarded to a leader that died is lost, and would otherwise wait out the
     * proposal timeout. Sending twice is safe: a write carries its commander's seq and is executed
     * at most once (the second copy gets the cached reply); a barrier changes nothing.
     */
    private <T> CompletableFuture<T> followingLeader(Supplier<CompletableFuture<T>> send) {
        CompletableFuture<T> result = new CompletableFuture<>();
        whenLeaderKnown(send, result, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEADER_WAIT_MS_MAX));
        return result;
    }

    /**
     * Sends once this node knows a leader, or at the deadline (and the engine answers "no
     * leader"): during an election the request waits here a moment rather than bouncing back
     * to the client, which would have to poll every server.
     */
    private <T> void whenLeaderKnown(Supplier<CompletableFuture<T>> send, CompletableFuture<T> result, long deadlineNanos) {
        int leader = replica.status().leaderIndex();
        if (leader >= 0 || System.nanoTime() - deadlineNanos >= 0) {
            sendFollowingLeader(send, result, leader, RESENDS_MAX);
            return;
        }
        try {
            timer.schedule(() -> whenLeaderKnown(send, result, deadlineNanos), LEADER_WATCH_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            sendFollowingLeader(send, result, leader, 0); // closing: the engine answers at once
        }
    }

    private <T> void sendFollowingLeader(Supplier<CompletableFuture<T>> send, CompletableFuture<T> result, int leader, int resends) {
        AtomicBoolean superseded = new AtomicBoolean();
        send.get().whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
            } else if (!superseded.get()) {
                result.completeExceptionally(failure);
            }
        });
        if (resends > 0) {
            watchLeader(send, result, leader, resends, superseded);
        }
    }

    private <T> void watchLeader(Supplier<CompletableFuture<T>> send, CompletableFuture<T> result, int leader, int resends,
                                 AtomicBoolean superseded) {
        try {
            timer.schedule(() -> {
                int now = replica.status().leaderIndex();
                if (result.isDone()) {
                    return;
                }
                if (now >= 0 && now != leader) {
                    superseded.set(true);
                    sendFollowingLeader(send, result, now, resends - 1);
                } else {
                    watchLeader(send, result, leader, resends, superseded);
                }
            }, LEADER_WATCH_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the node is closing: the proposal's own timeout answers
        }
    }

    private static CommanderResponse failed(long id, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ProposalException p) {
            return switch (p.reason()) {
                case NO_LEADER, QUEUE_FULL, CLOSED -> CommanderServer.error(id, true, p.getMessage() + "; nothing was proposed");
                case TOO_LARGE -> CommanderServer.error(id, false, p.getMessage());
                case TIMED_OUT -> CommanderServer.error(id, true,
                        "outcome unknown: not applied in time; retry with the same seq (it is applied at most once)");
            };
        }
        return CommanderServer.error(id, true, "outcome unknown: " + cause);
    }

    private static CommanderResponse kvReply(long id, ByteString reply) {
        return CommanderResponse.newBuilder().setFormatVersion(1).setRequestId(id).setKvReply(reply).build();
    }
}
