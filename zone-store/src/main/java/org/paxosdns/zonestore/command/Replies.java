package org.paxosdns.zonestore.command;

import com.google.protobuf.ByteString;
import java.util.List;
import org.paxosdns.proto.CommandReply;
import org.paxosdns.proto.FormatVersion;
import org.paxosdns.proto.UploadReply;
import org.paxosdns.proto.ZoneRefusal;
import org.paxosdns.proto.ZoneResult;
import org.paxosdns.zonestore.blob.ContentHash;

/**
 * Builds the replies commanders get. Messages are deterministic (no times, no addresses):
 * every replica of the state machine must cache byte-identical replies.
 */
public final class Replies {
    private Replies() {}

    /** The command executed and produced state {@code stateNdx}. */
    public static CommandReply applied(String commanderId, long seq, long stateNdx, List<ZoneResult> results) {
        return base(commanderId, seq, stateNdx).setStatus(CommandReply.Status.APPLIED)
                .setMessage("applied at stateNdx " + Long.toUnsignedString(stateNdx))
                .addAllResults(results).build();
    }

    /** The command was refused; nothing changed. */
    public static CommandReply refused(String commanderId, long seq, long stateNdx, ZoneRefusal refusal,
            String message, List<ZoneResult> results) {
        return base(commanderId, seq, stateNdx).setStatus(CommandReply.Status.REFUSED).setRefusal(refusal)
                .setMessage(message).addAllResults(results).build();
    }

    /** A refusal from a {@link CommandRefusedException}, with no per-zone results. */
    public static CommandReply refused(String commanderId, long seq, long stateNdx, CommandRefusedException e) {
        return refused(commanderId, seq, stateNdx, e.refusal(), e.getMessage(), List.of());
    }

    /** The seq was already used by a command with other content. */
    public static CommandReply seqConflict(String commanderId, long seq, long stateNdx) {
        return base(commanderId, seq, stateNdx).setStatus(CommandReply.Status.SEQ_CONFLICT)
                .setRefusal(ZoneRefusal.ZONE_REFUSAL_SEQ_REUSED)
                .setMessage("seq " + Long.toUnsignedString(seq) + " of commander '" + commanderId
                        + "' already carried a different command; use a new seq").build();
    }

    /** The seq is below the dedup window: whether it ran cannot be told from the table. */
    public static CommandReply outcomeUnknown(String commanderId, long seq, long stateNdx, List<String> fqdns) {
        String where = fqdns.isEmpty() ? "{fqdn}" : String.join(", ", fqdns);
        return base(commanderId, seq, stateNdx).setStatus(CommandReply.Status.OUTCOME_UNKNOWN)
                .setRefusal(ZoneRefusal.ZONE_REFUSAL_SEQ_BELOW_WINDOW)
                .setMessage("outcome unknown: check /v1/zones/" + where + " (seq " + Long.toUnsignedString(seq)
                        + " is below the commander's window of the last "
                        + CommandLimits.DEDUP_WINDOW_SEQS_MAX + " seqs)").build();
    }

    /** A cached reply, marked as the answer to a repeat of its command. */
    public static CommandReply duplicate(CommandReply cached) {
        return cached.toBuilder().setDuplicate(true).build();
    }

    /** The result line of one zone. */
    public static ZoneResult result(ZoneAction action, ZoneRefusal refusal, String message) {
        ZoneResult.Builder result = ZoneResult.newBuilder().setFqdn(action.fqdn()).setRefusal(refusal).setMessage(message);
        if (action instanceof ZoneAction.Put put) {
            result.setContentHash(ByteString.copyFrom(put.hash().toBytes())).setSoaSerial((int) put.soaSerial());
        }
        return result.build();
    }

    /** The upload is stored durably. */
    public static UploadReply stored(ContentHash hash) {
        return UploadReply.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setStatus(UploadReply.Status.STORED).setContentHash(ByteString.copyFrom(hash.toBytes()))
                .setMessage("stored " + hash).build();
    }

    /** The upload was refused; nothing was stored. */
    public static UploadReply uploadRefused(ZoneRefusal refusal, String message) {
        return UploadReply.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setStatus(UploadReply.Status.REFUSED).setRefusal(refusal).setMessage(message).build();
    }

    private static CommandReply.Builder base(String commanderId, long seq, long stateNdx) {
        return CommandReply.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setCommanderId(commanderId).setSeq(seq).setStateNdx(stateNdx);
    }
}
