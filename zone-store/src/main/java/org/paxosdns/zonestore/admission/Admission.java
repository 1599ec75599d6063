package org.paxosdns.zonestore.admission;

import java.util.List;
import org.paxosdns.proto.CommandReply;
import org.paxosdns.zonestore.blob.VerifiedBlob;
import org.paxosdns.zonestore.command.DecodedCommand;
import org.paxosdns.zonestore.zone.ParsedZone;

/** The receiving server's ruling on a command, before anything is proposed. */
public sealed interface Admission {
    /**
     * Every check passed: push {@code blobs} (the zone files of {@link DecodedCommand#neededBlobs()},
     * as admission read and verified them) to a majority, then propose {@code signedCommandBytes}
     * unchanged. {@code zones} are the parsed new versions.
     */
    record Accepted(byte[] signedCommandBytes, DecodedCommand command, List<ParsedZone> zones, List<VerifiedBlob> blobs)
            implements Admission {
        public Accepted {
            zones = List.copyOf(zones);
            blobs = List.copyOf(blobs);
        }
    }

    /** Answer the commander with {@code reply} (a refusal, or a cached reply) and propose nothing. */
    record Answered(CommandReply reply) implements Admission {}
}
