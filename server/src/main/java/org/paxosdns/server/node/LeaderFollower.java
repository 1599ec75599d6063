package org.paxosdns.server.node;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
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
    /** Requests waiting for a leader, or sent and watched for a leader change until they complete. */
    private final Set<Request<?>> watched = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    LeaderFollower(Replica replica, String name) {
        this.replica = replica;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-leader-watch");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sweep, LEADER_WATCH_MS, LEADER_WATCH_MS, TimeUnit.MILLISECONDS);
    }

    /** A command proposed through the log, following leader changes; completes with the apply reply. */
    CompletableFuture<byte[]> propose(byte[] command) {
        return follow(() -> replica.propose(command));
    }

    /** A read barrier through the log, following leader changes. */
    CompletableFuture<Long> readIndex() {
        return follow(replica::readIndex);
    }

    /** Stops watching; requests still waiting for a leader are sent at once (the engine answers them). */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        for (Request<?> r : watched) {
            if (!r.sent()) {
                r.sendTo(-1, 0);
            }
        }
        watched.clear();
    }

    /**
     * Sends at once when this node knows a leader, else leaves the request to the sweep. One
     * periodic sweep watches every request, rather than a timer task per request: at thousands of
     * writes per second the per-request tasks cost a queue insertion and a wake-up each.
     */
    private <T> CompletableFuture<T> follow(Supplier<CompletableFuture<T>> send) {
        Request<T> request = new Request<>(send, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEADER_WAIT_MS_MAX));
        int leader = replica.status().leaderIndex();
        if (leader >= 0 || closed) {
            request.sendTo(leader, closed ? 0 : RESENDS_MAX);
            if (!closed && request.resends > 0) {
                watch(request);
            }
        } else {
            watch(request);
        }
        return request.result;
    }

    private void watch(Request<?> request) {
        watched.add(request);
        request.result.whenComplete((value, failure) -> watched.remove(request));
    }

    /** On the timer thread: sends what waited for a leader, re-sends what a leader change stranded. */
    private void sweep() {
        int leader = replica.status().leaderIndex();
        long now = System.nanoTime();
        for (Request<?> r : watched) {
            if (r.result.isDone()) {
                watched.remove(r);
            } else if (!r.sent()) {
                if (leader >= 0 || now - r.deadlineNanos >= 0) {
                    r.sendTo(leader, RESENDS_MAX);
                }
            } else if (leader >= 0 && leader != r.leader && r.resends > 0) {
                r.sendTo(leader, r.resends - 1);
            }
        }
    }

    /**
     * One request and its attempts. Only one thread acts on it at a time: the caller before it is
     * watched, the timer thread after. A failure of an attempt that a later one superseded is ignored.
     */
    private static final class Request<T> {
        private static final int NOT_SENT = -2;
        private final Supplier<CompletableFuture<T>> send;
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private final long deadlineNanos;
        private AtomicBoolean attemptSuperseded;
        private volatile int leader = NOT_SENT;
        private volatile int resends;

        Request(Supplier<CompletableFuture<T>> send, long deadlineNanos) {
            this.send = send;
            this.deadlineNanos = deadlineNanos;
        }

        boolean sent() {
            return leader != NOT_SENT;
        }

        void sendTo(int leaderIndex, int resendsLeft) {
            if (attemptSuperseded != null) {
                attemptSuperseded.set(true);
            }
            AtomicBoolean superseded = new AtomicBoolean();
            attemptSuperseded = superseded;
            leader = leaderIndex;
            resends = resendsLeft;
            send.get().whenComplete((value, failure) -> {
                if (failure == null) {
                    result.complete(value);
                } else if (!superseded.get()) {
                    result.completeExceptionally(failure);
                }
            });
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
