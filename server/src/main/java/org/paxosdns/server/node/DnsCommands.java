package org.paxosdns.server.node;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.paxosdns.consensus.host.Replica;
import org.paxosdns.proto.CommanderRequest;
import org.paxosdns.proto.CommanderResponse;
import org.paxosdns.proto.UploadReply;
import org.paxosdns.server.blob.BlobTransfer;
import org.paxosdns.server.commander.CommanderServer;
import org.paxosdns.server.commander.CommanderService;
import org.paxosdns.zonestore.admission.Admission;
import org.paxosdns.zonestore.admission.CommandAdmission;
import org.paxosdns.zonestore.admission.UploadAdmission;
import org.paxosdns.zonestore.admission.UploadCheck;
import org.paxosdns.zonestore.blob.BlobStore;
import org.paxosdns.zonestore.blob.BlobStoreException;
import org.paxosdns.zonestore.blob.VerifiedBlob;
import org.paxosdns.zonestore.command.Replies;
import org.paxosdns.zonestore.state.ZoneStateMachine;
import org.paxosdns.proto.ZoneRefusal;

/**
 * The commander path of the DNS application at the receiving server: uploads are verified and
 * stored durably; commands are admitted (signature, rights, dedup, zone checks), their blobs
 * pushed until a majority of servers hold them durably, and only then proposed. The reply is
 * the state machine's own, from the moment this node applied the command.
 */
final class DnsCommands implements CommanderService, AutoCloseable {
    /** How long a command's blobs may take to become durable on a majority, in milliseconds. */
    static final long BLOB_REPLICATION_MS_MAX = 5_000;

    private final ZoneStateMachine state;
    private final CommandAdmission admission;
    private final UploadAdmission uploads;
    private final BlobStore blobs;
    private final BlobTransfer transfer;
    private final LeaderFollower leader;
    private final ExecutorService executor;
    private final int peersNeeded;

    DnsCommands(ZoneStateMachine state, CommandAdmission admission, UploadAdmission uploads, BlobStore blobs,
                BlobTransfer transfer, Replica replica, ExecutorService executor, int quorum) {
        this.state = state;
        this.admission = admission;
        this.uploads = uploads;
        this.blobs = blobs;
        this.transfer = transfer;
        this.leader = new LeaderFollower(replica, "dns");
        this.executor = executor;
        this.peersNeeded = quorum - 1; // this server's own copy is the quorum's first member
    }

    @Override
    public CompletableFuture<CommanderResponse> handle(CommanderRequest request) {
        long id = request.getRequestId();
        try {
            return switch (request.getKindCase()) {
                case SIGNED_UPLOAD -> CompletableFuture.supplyAsync(() -> upload(id, request.getSignedUpload().toByteArray()), executor);
                case SIGNED_COMMAND -> CompletableFuture.supplyAsync(() -> admit(request.getSignedCommand().toByteArray()), executor)
                        .thenCompose(admitted -> execute(id, admitted));
                case SIGNED_KV_COMMAND -> CompletableFuture.completedFuture(
                        CommanderServer.error(id, false, "this server has no key-value application"));
                case KIND_NOT_SET -> CompletableFuture.completedFuture(CommanderServer.error(id, false, "empty request"));
            };
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(CommanderServer.error(id, true, "server busy: try again or another server"));
        }
    }

    private CommanderResponse upload(long id, byte[] signedUpload) {
        UploadCheck check = uploads.admit(signedUpload);
        UploadReply reply;
        if (check instanceof UploadCheck.Accepted accepted) {
            try {
                blobs.put(accepted.blob());
                reply = Replies.stored(accepted.blob().hash());
            } catch (IOException e) {
                return CommanderServer.error(id, true, "cannot store the zone file here: " + e.getMessage());
            } catch (BlobStoreException e) {
                reply = Replies.uploadRefused(ZoneRefusal.ZONE_REFUSAL_LIMIT_EXCEEDED, e.getMessage());
            }
        } else {
            reply = ((UploadCheck.Refused) check).reply();
        }
        return CommanderResponse.newBuilder().setFormatVersion(1).setRequestId(id).setUploadReply(reply.toByteString()).build();
    }

    private Admission admit(byte[] signedCommand) {
        return admission.admit(signedCommand, state.state());
    }

    private CompletableFuture<CommanderResponse> execute(long id, Admission admitted) {
        if (admitted instanceof Admission.Answered answered) {
            return CompletableFuture.completedFuture(commandReply(id, answered.reply().toByteString()));
        }
        Admission.Accepted accepted = (Admission.Accepted) admitted;
        List<CompletableFuture<Void>> pushes = new ArrayList<>();
        for (VerifiedBlob blob : accepted.blobs()) { // read and verified by admission just now
            pushes.add(transfer.replicate(blob.hash(), blob.content(), peersNeeded));
        }
        return CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new))
                .orTimeout(BLOB_REPLICATION_MS_MAX, TimeUnit.MILLISECONDS)
                .thenCompose(v -> leader.propose(accepted.signedCommandBytes()))
                .handle((reply, failure) -> failure == null
                        ? commandReply(id, ByteString.copyFrom(reply)) : failed(id, failure));
    }

    private static CommanderResponse failed(long id, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
            return CommanderServer.error(id, true, "zone files not durable on a majority within "
                    + BLOB_REPLICATION_MS_MAX + " ms; nothing was proposed");
        }
        return LeaderFollower.failed(id, failure);
    }

    @Override
    public void close() {
        leader.close();
    }

    private static CommanderResponse commandReply(long id, ByteString reply) {
        return CommanderResponse.newBuilder().setFormatVersion(1).setRequestId(id).setCommandReply(reply).build();
    }
}
