package org.paxosdns.zonestore.state;

import java.util.List;
import org.paxosdns.proto.CommandReply;

/**
 * What applying one command did: the reply for its commander, the zones it changed (empty
 * unless the reply is APPLIED and not a duplicate) and the state after it.
 */
public record ApplyResult(CommandReply reply, List<ZoneChange> changes, ZoneState state) {
    public ApplyResult {
        changes = List.copyOf(changes);
    }
}
