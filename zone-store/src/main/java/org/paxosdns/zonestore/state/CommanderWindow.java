package org.paxosdns.zonestore.state;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.paxosdns.proto.CommandReply;
import org.paxosdns.zonestore.command.CommandLimits;
import org.paxosdns.zonestore.command.DecodedCommand;
import org.paxosdns.zonestore.command.Replies;
import org.paxosdns.zonestore.command.ZoneAction;

/**
 * The exactly-once memory of one commander: its {@value CommandLimits#DEDUP_WINDOW_SEQS_MAX}
 * highest ruled-on seqs. A seq in the window is known; a seq above the lowest one, or any seq
 * while the window has never overflowed, is new (evicted seqs are always below the lowest
 * kept); a seq below the lowest kept one of a full window may or may not have run. Immutable.
 */
public final class CommanderWindow {
    /** The window of a commander that has sent nothing yet. */
    public static final CommanderWindow EMPTY = new CommanderWindow(new TreeMap<>(CommanderWindow::compareSeqs));

    private final NavigableMap<Long, AppliedCommand> bySeq;

    private CommanderWindow(TreeMap<Long, AppliedCommand> bySeq) {
        this.bySeq = Collections.unmodifiableNavigableMap(bySeq);
    }

    /** What the window knows about {@code seq} with this command digest. */
    public sealed interface Lookup {
        /** Never seen: execute it. */
        record New() implements Lookup {}

        /** Seen with the same digest: answer with its reply. */
        record Known(AppliedCommand applied) implements Lookup {}

        /** Seen with another digest. */
        record Conflict(AppliedCommand applied) implements Lookup {}

        /** Below the window: the outcome cannot be told. */
        record BelowWindow() implements Lookup {}
    }

    /** Looks a command up by seq (unsigned) and digest. */
    public Lookup lookup(long seq, byte[] digest) {
        AppliedCommand known = bySeq.get(seq);
        if (known != null) {
            return known.sameDigest(digest) ? new Lookup.Known(known) : new Lookup.Conflict(known);
        }
        boolean full = bySeq.size() >= CommandLimits.DEDUP_WINDOW_SEQS_MAX;
        if (full && Long.compareUnsigned(seq, bySeq.firstKey()) < 0) {
            return new Lookup.BelowWindow();
        }
        return new Lookup.New();
    }

    /**
     * The reply to a command this window already knows something about (any lookup but
     * {@link Lookup.New}): the cached reply, a seq conflict, or outcome unknown.
     */
    public static CommandReply answer(Lookup lookup, DecodedCommand command, long stateNdx) {
        if (lookup instanceof Lookup.Known known) {
            return Replies.duplicate(known.applied().reply());
        }
        if (lookup instanceof Lookup.Conflict) {
            return Replies.seqConflict(command.commanderId(), command.seq(), stateNdx);
        }
        if (lookup instanceof Lookup.BelowWindow) {
            return Replies.outcomeUnknown(command.commanderId(), command.seq(), stateNdx,
                    command.actions().stream().map(ZoneAction::fqdn).toList());
        }
        throw new IllegalArgumentException("a new command has no cached answer");
    }

    /** A window that also remembers {@code applied}, dropping the lowest seq beyond the limit. */
    public CommanderWindow with(AppliedCommand applied) {
        TreeMap<Long, AppliedCommand> next = new TreeMap<>(bySeq);
        next.put(applied.seq(), applied);
        while (next.size() > CommandLimits.DEDUP_WINDOW_SEQS_MAX) {
            next.pollFirstEntry();
        }
        return new CommanderWindow(next);
    }

    /** Rebuilds a window from a snapshot's entries. */
    static CommanderWindow of(Iterable<AppliedCommand> commands) {
        TreeMap<Long, AppliedCommand> map = new TreeMap<>(EMPTY.bySeq.comparator());
        commands.forEach(c -> map.put(c.seq(), c));
        return new CommanderWindow(map);
    }

    private static int compareSeqs(Long a, Long b) {
        return Long.compareUnsigned(a, b);
    }

    /** The remembered commands in ascending (unsigned) seq order. */
    public NavigableMap<Long, AppliedCommand> commands() {
        return bySeq;
    }
}
