package org.paxosdns.server.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.paxosdns.identity.CommanderKey;
import org.paxosdns.identity.Roster;
import org.paxosdns.identity.ServerEntry;
import org.paxosdns.proto.CommandReply;
import org.paxosdns.proto.CommanderRequest;
import org.paxosdns.proto.CommanderResponse;
import org.paxosdns.proto.UploadReply;
import org.paxosdns.server.commander.CommanderClient;
import org.paxosdns.zonestore.command.CommandBuilder;

/**
 * The commander's side of publishing: uploads the zone files to a server, sends one signed
 * command for all of them, and on a timeout or a retryable error tries the next server with
 * the very same signed bytes (same seq, same salt), so the cluster applies it at most once.
 */
public final class Commander {
    /** How long one server may take to answer one request, in milliseconds. */
    public static final int REQUEST_TIMEOUT_MS_DEFAULT = 10_000;
    /** How long a connection attempt may take, in milliseconds. */
    public static final int CONNECT_TIMEOUT_MS = 2_000;
    /** Passes over the server list before giving up. */
    public static final int ROUNDS_MAX = 3;

    private final Roster roster;
    private final CommanderKey key;
    private final int requestTimeoutMs;
    private int preferred;

    public Commander(Roster roster, CommanderKey key, int requestTimeoutMs) {
        this.roster = roster;
        this.key = key;
        this.requestTimeoutMs = requestTimeoutMs;
        this.preferred = (int) (ProcessHandle.current().pid() % roster.size());
    }

    /** A builder for one command of this commander in this cluster. */
    public CommandBuilder builder() {
        return new CommandBuilder(roster.clusterId(), key.id(), key.signing().getPrivate());
    }

    /**
     * Sends {@code signedCommand} after uploading {@code uploads} (fqdn to zone file bytes) to
     * whichever server answers, retrying the others; never signs anything anew.
     */
    public PublishOutcome execute(Map<String, byte[]> uploads, byte[] signedCommand) {
        List<String> failures = new ArrayList<>();
        CommandBuilder signer = builder();
        Map<String, byte[]> signedUploads = new java.util.LinkedHashMap<>();
        uploads.forEach((fqdn, content) -> signedUploads.put(fqdn, signer.signUpload(fqdn, content)));
        for (int attempt = 0; attempt < ROUNDS_MAX * roster.size(); attempt++) {
            ServerEntry server = roster.server((preferred + attempt) % roster.size());
            try (CommanderClient client = CommanderClient.connect(server.commander().toSocketAddress(), CONNECT_TIMEOUT_MS)) {
                for (Map.Entry<String, byte[]> upload : signedUploads.entrySet()) {
                    CommanderResponse r = client.call(CommanderRequest.newBuilder()
                            .setSignedUpload(ByteString.copyFrom(upload.getValue())), requestTimeoutMs);
                    if (r.hasError()) {
                        throw new RetryElsewhere(r.getError().getMessage(), r.getError().getRetryable());
                    }
                    UploadReply reply = UploadReply.parseFrom(r.getUploadReply());
                    if (reply.getStatus() != UploadReply.Status.STORED) {
                        return new PublishOutcome.Refused(upload.getKey() + ": " + reply.getMessage(), null);
                    }
                }
                CommanderResponse r = client.call(CommanderRequest.newBuilder()
                        .setSignedCommand(ByteString.copyFrom(signedCommand)), requestTimeoutMs);
                if (r.hasError()) {
                    throw new RetryElsewhere(r.getError().getMessage(), r.getError().getRetryable());
                }
                preferred = server.index();
                return outcome(CommandReply.parseFrom(r.getCommandReply()));
            } catch (RetryElsewhere e) {
                failures.add(server.name() + ": " + e.getMessage());
                if (!e.retryable) {
                    return new PublishOutcome.Refused(e.getMessage(), null);
                }
            } catch (InvalidProtocolBufferException e) {
                failures.add(server.name() + ": malformed answer: " + e.getMessage());
            } catch (IOException e) {
                failures.add(server.name() + ": " + e.getMessage());
            }
        }
        return new PublishOutcome.Unknown("no server answered definitely: " + String.join("; ", failures));
    }

    private static PublishOutcome outcome(CommandReply reply) {
        return switch (reply.getStatus()) {
            case APPLIED -> new PublishOutcome.Done(reply);
            case OUTCOME_UNKNOWN -> new PublishOutcome.Unknown(reply.getMessage());
            default -> new PublishOutcome.Refused(reply.getMessage(), reply);
        };
    }

    private static final class RetryElsewhere extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean retryable;

        RetryElsewhere(String message, boolean retryable) {
            super(message);
            this.retryable = retryable;
        }
    }
}
