package org.paxosdns.server.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.paxosdns.identity.CommanderKey;
import org.paxosdns.identity.Roster;
import org.paxosdns.proto.CommanderRequest;
import org.paxosdns.proto.CommanderResponse;
import org.paxosdns.proto.KvReply;
import org.paxosdns.server.commander.CommanderClient;
import org.paxosdns.server.kv.KvCommandBuilder;

/**
 * A key-value client: sends one signed command to a server and, on a timeout, a lost
 * connection or a retryable error, sends the very same bytes to the next server, so the cluster
 * executes it at most once. It keeps trying, with a short pause after each pass over the
 * servers, until its overall deadline; the per-attempt timeout is what bounds how long a
 * client waits on a server that lost its leader. Not thread-safe: one per client thread.
 */
public final class KvClient implements AutoCloseable {
    /** How long one server may take to answer, in milliseconds: long enough for an election, short enough to fail over. */
    public static final int ATTEMPT_TIMEOUT_MS_DEFAULT = 1_500;
    /** How long one operation may take over all its attempts, in milliseconds. */
    public static final int OPERATION_TIMEOUT_MS_DEFAULT = 10_000;
    /** How long a connection attempt may take, in milliseconds. */
    public static final int CONNECT_TIMEOUT_MS = 500;
    /** The pause after a first pass in which no server answered, in milliseconds; it doubles per pass. */
    public static final int PASS_PAUSE_MS_MIN = 20;
    /**
     * The longest pause between passes, in milliseconds: short, since the servers themselves wait
     * for a leader during an election; a long client backoff only adds to failover.
     */
    public static final int PASS_PAUSE_MS_MAX = 50;

    private final Roster roster;
    private final KvCommandBuilder builder;
    private final int attemptTimeoutMs;
    private final int operationTimeoutMs;
    private final CommanderClient[] connections;
    private int preferred;

    public KvClient(Roster roster, CommanderKey key, int preferred, int attemptTimeoutMs, int operationTimeoutMs) {
        this.roster = roster;
        this.builder = new KvCommandBuilder(roster.clusterId(), key.id(), key.signing().getPrivate());
        this.attemptTimeoutMs = attemptTimeoutMs;
        this.operationTimeoutMs = operationTimeoutMs;
        this.connections = new CommanderClient[roster.size()];
        this.preferred = Math.floorMod(preferred, roster.size());
    }

    /** The builder that signs this client's commands. */
    public KvCommandBuilder builder() {
        return builder;
    }

    /** Sends {@code signedCommand} until a server answers definitely or the operation's deadline passes. */
    public KvOutcome execute(byte[] signedCommand) throws InterruptedException {
        long deadline = System.nanoTime() + operationTimeoutMs * 1_000_000L;
        List<String> failures = new ArrayList<>();
        boolean ambiguous = false;
        int pauseMs = PASS_PAUSE_MS_MIN;
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            int server = (preferred + attempt) % roster.size();
            if (attempt > 0 && server == preferred) {
                Thread.sleep(pauseMs); // a pass found no leader anywhere: give the election a moment
                pauseMs = Math.min(PASS_PAUSE_MS_MAX, pauseMs * 2);
            }
            Attempt result = attempt(server, signedCommand, remainingMs(deadline));
            if (result.reply != null) {
                preferred = server;
                return new KvOutcome.Answered(result.reply);
            }
            ambiguous |= result.ambiguous;
            if (failures.size() < 6) {
                failures.add(roster.server(server).name() + ": " + result.failure);
            }
            if (result.definite) {
                return new KvOutcome.NotDone(result.failure);
            }
        }
        String why = String.join("; ", failures);
        return ambiguous ? new KvOutcome.Unknown(why) : new KvOutcome.NotDone(why);
    }

    private int remainingMs(long deadline) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        return (int) Math.max(1, Math.min(attemptTimeoutMs, left));
    }

    /** One attempt's result: a reply; or a failure that is definite (refused), ambiguous (may have run) or neither. */
    private record Attempt(KvReply reply, String failure, boolean definite, boolean ambiguous) {}

    private Attempt attempt(int server, byte[] signedCommand, int timeoutMs) {
        boolean sent = false;
        try {
            CommanderClient client = connection(server);
            sent = true;
            CommanderResponse r = client.call(CommanderRequest.newBuilder().setSignedKvCommand(ByteString.copyFrom(signedCommand)),
                    timeoutMs);
            if (r.hasError()) {
                String message = r.getError().getMessage();
                boolean unknown = message.startsWith("outcome unknown");
                return new Attempt(null, message, !r.getError().getRetryable(), unknown);
            }
            return new Attempt(KvReply.parseFrom(r.getKvReply()), null, false, false);
        } catch (InvalidProtocolBufferException e) {
            drop(server);
            return new Attempt(null, "malformed answer: " + e.getMessage(), false, true);
        } catch (IOException e) {
            drop(server);
            return new Attempt(null, e.toString(), false, sent);
        }
    }

    private CommanderClient connection(int server) throws IOException {
        if (connections[server] == null) {
            connections[server] = CommanderClient.connect(roster.server(server).commander().toSocketAddress(), CONNECT_TIMEOUT_MS);
        }
        return connections[server];
    }

    private void drop(int server) {
        if (connections[server] != null) {
            try {
                connections[server].close();
            } catch (IOException ignored) {
                // closing a broken connection: nothing to report
            }
            connections[server] = null;
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < connections.length; i++) {
            drop(i);
        }
    }
}
