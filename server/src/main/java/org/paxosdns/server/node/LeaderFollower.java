package org.paxosdns.server.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.paxosdns.consensus.host.ProposalException;
import org.paxosdns.consensus.host.Replica;
import org.paxosdns.proto.CommanderResponse;
import org.paxosdns.server.commander.CommanderServer;

/**
 * Sends proposals and read barriers to one application's replica so that a leader change does
 * not strand them: a request waits a moment for a leader rather than bouncing back to the
 * client, and is sent again when this node's leader changes while it waits (what was forwarded
 * to a leader that died is lost, and would otherwise wait out the proposal timeout). Sending
 * twice is safe: a command carries its commander's seq and is executed at most once (the second
 * copy gets the cached reply); a barrier changes nothing.
 */
final class LeaderFollower implements AutoCloseable {
    /** How often a waiting request looks whether this node's leader changed, in milliseconds. */
    static final long LEADER_WATCH_MS = 25;
    /** How long a request waits for this node to know a leader before it is refused, in milliseconds. */
    static final long LEADER_WAIT_MS_MAX = 2_000;
    /** Most times one request is sent again to a new leader. */
    static final int RESENDS_MAX = 3;

    private final Replica replica;
    private final ScheduledExecutorService timer;

    LeaderFollower(Replica replica, String name) {
        this.replica = replica;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-leader-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /** A command proposed through the log, following leader changes; completes with the apply reply. */
    CompletableFuture<byte[]> propose(byte[] command) {
        return follow(() -> replica.propose(command));
    }

    /** A read barrier through the log, following leader changes. */
    CompletableFuture<Long> readIndex() {
        return follow(replica::readIndex);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private <T> CompletableFuture<T> follow(Supplier<CompletableFuture<T>> send) {
        CompletableFuture<T> result = new CompletableFuture<>();
        whenLeaderKnown(send, result, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEADER_WAIT_MS_MAX));
        return result;
    }

    /** Sends once this node knows a leader, or at the deadline (and the engine answers "no leader"). */
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
                if (result.isDone()) {
                    return;
                }
                int now = replica.status().leaderIndex();
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

    /** The commander's error for a proposal that failed: retryable unless it can never succeed. */
    static CommanderResponse failed(long id, Throwable failure) {
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
}
