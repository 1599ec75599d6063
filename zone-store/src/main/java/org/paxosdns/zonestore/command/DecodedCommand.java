package org.paxosdns.zonestore.command;

import java.util.List;
import java.util.stream.Stream;
import org.paxosdns.zonestore.blob.ContentHash;

/**
 * A signed command whose bytes decoded and whose fields are well formed; not yet checked
 * against a roster or a state. {@code commandBytes} are the signed bytes, {@code digest} their
 * SHA3-256, which is what exactly-once compares (a re-signed identical command has the same one).
 */
public record DecodedCommand(
        byte[] commandBytes,
        byte[] signature,
        byte[] digest,
        byte[] clusterId,
        int appNdx,
        String commanderId,
        long seq,
        List<ZoneAction> actions) {
    public DecodedCommand {
        actions = List.copyOf(actions);
    }

    /** The zone files this command needs, in op order. */
    public List<ContentHash> neededBlobs() {
        return actions.stream()
                .flatMap(a -> a instanceof ZoneAction.Put put ? Stream.of(put.hash()) : Stream.empty())
                .toList();
    }
}
