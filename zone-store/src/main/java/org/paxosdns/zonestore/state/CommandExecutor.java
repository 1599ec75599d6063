package org.paxosdns.zonestore.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.paxosdns.identity.CommanderEntry;
import org.paxosdns.identity.Roster;
import org.paxosdns.proto.CommandReply;
import org.paxosdns.proto.ZoneRefusal;
import org.paxosdns.proto.ZoneResult;
import org.paxosdns.zonestore.command.CommandDecoder;
import org.paxosdns.zonestore.command.CommandRefusedException;
import org.paxosdns.zonestore.command.DecodedCommand;
import org.paxosdns.zonestore.command.Replies;
import org.paxosdns.zonestore.command.ZoneAction;
import org.paxosdns.zonestore.zone.SerialNumbers;

/**
 * The pure transition function of the DNS application: (state, chosen command bytes) -> (reply,
 * changes, next state). Deterministic: depends only on its inputs, reads no clock, no blob and
 * no signature (the receiving server verified it once, at admission). All ops of a command
 * apply, or none.
 */
final class CommandExecutor {
    private final Roster roster;

    CommandExecutor(Roster roster) {
        this.roster = roster;
    }

    ApplyResult apply(ZoneState state, byte[] signedCommandBytes) {
        DecodedCommand command;
        CommanderEntry commander;
        try {
            command = CommandDecoder.decode(signedCommandBytes);
            commander = CommandDecoder.checkAddressedTo(command, roster);
        } catch (CommandRefusedException e) {
            return unchanged(state, Replies.refused("", 0, state.stateNdx(), e));
        }
        String id = command.commanderId();
        long seq = command.seq();
        CommanderWindow.Lookup lookup = state.window(id).lookup(seq, command.digest());
        if (lookup instanceof CommanderWindow.Lookup.New) {
            return execute(state, command, commander);
        }
        return unchanged(state, CommanderWindow.answer(lookup, command, state.stateNdx()));
    }

    private static ApplyResult execute(ZoneState state, DecodedCommand command, CommanderEntry commander) {
        String id = command.commanderId();
        try {
            CommandDecoder.checkRights(commander, command.actions());
        } catch (CommandRefusedException e) {
            return remembered(state, command, Replies.refused(id, command.seq(), state.stateNdx(), e));
        }
        List<ZoneResult> refusals = refusals(state, command.actions());
        if (!refusals.isEmpty()) {
            ZoneResult first = refusals.get(0);
            CommandReply reply = Replies.refused(id, command.seq(), state.stateNdx(), first.getRefusal(),
                    "refused, nothing applied: " + String.join("; ",
                            refusals.stream().map(ZoneResult::getMessage).toList()), refusals);
            return remembered(state, command, reply);
        }
        long next = state.stateNdx() + 1;
        TreeMap<String, ZoneEntry> updates = new TreeMap<>();
        List<ZoneChange> changes = new ArrayList<>();
        List<ZoneResult> results = new ArrayList<>();
        for (ZoneAction action : command.actions()) {
            changes.add(change(state, updates, action, next, id));
            results.add(Replies.result(action, ZoneRefusal.ZONE_REFUSAL_NONE, "applied"));
        }
        CommandReply reply = Replies.applied(id, command.seq(), next, results);
        ZoneState after = state.next(next, updates, id, new AppliedCommand(command.seq(), command.digest(), reply));
        return new ApplyResult(reply, changes, after);
    }

    /** The ops that cannot apply to {@code state}, each with why; empty when all can. */
    private static List<ZoneResult> refusals(ZoneState state, List<ZoneAction> actions) {
        List<ZoneResult> refusals = new ArrayList<>();
        for (ZoneAction action : actions) {
            Optional<ZoneEntry> current = state.zone(action.fqdn());
            if (action instanceof ZoneAction.Put put && current.isPresent()
                    && !SerialNumbers.isNewer(put.soaSerial(), current.get().soaSerial())) {
                refusals.add(Replies.result(action, ZoneRefusal.ZONE_REFUSAL_STALE_SERIAL, action.fqdn()
                        + ": SOA serial " + put.soaSerial() + " is not newer than the served serial "
                        + current.get().soaSerial() + " (RFC 1982)"));
            } else if (action instanceof ZoneAction.Delete && current.isEmpty()) {
                refusals.add(Replies.result(action, ZoneRefusal.ZONE_REFUSAL_NO_SUCH_ZONE,
                        action.fqdn() + ": no such zone to delete"));
            }
        }
        return refusals;
    }

    /** Records the update for {@code action} (ops name distinct zones) and says what it changes. */
    private static ZoneChange change(ZoneState state, TreeMap<String, ZoneEntry> updates, ZoneAction action,
            long stateNdx, String id) {
        Optional<ZoneEntry> previous = state.zone(action.fqdn());
        if (action instanceof ZoneAction.Put put) {
            ZoneEntry entry = new ZoneEntry(put.fqdn(), put.hash(), put.soaSerial(), stateNdx, id);
            updates.put(put.fqdn(), entry);
            return new ZoneChange.Put(entry, previous);
        }
        updates.put(action.fqdn(), null);
        return new ZoneChange.Deleted(previous.orElseThrow());
    }

    /** A refusal the window remembers, so a repeat gets the same answer; stateNdx does not move. */
    private static ApplyResult remembered(ZoneState state, DecodedCommand command, CommandReply reply) {
        AppliedCommand ruling = new AppliedCommand(command.seq(), command.digest(), reply);
        return new ApplyResult(reply, List.of(),
                state.next(state.stateNdx(), Collections.emptyNavigableMap(), command.commanderId(), ruling));
    }

    private static ApplyResult unchanged(ZoneState state, CommandReply reply) {
        return new ApplyResult(reply, List.of(), state);
    }
}
