package org.paxosdns.zonestore.state;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.paxosdns.proto.CommandReply;
import org.paxosdns.zonestore.command.CommandLimits;
import org.paxosdns.zonestore.command.DecodedCommand;
import org.paxosdns.zonestore.command.Replies;
import org.paxosdns.zonestore.command.ZoneAction;

/**
 * The exactly-once memory of one commander: its {@value CommandLimits#DEDUP_WINDOW_SEQS_MAX}
 * highest ruled-on seqs (unsigned). A seq in the window is known; a seq above the lowest one,
 * or any seq while the window has never overflowed, is new (evicted seqs are always below the
 * lowest kept); a seq below the lowest kept one of a full window may or may not have run.
 * Immutable: an array sorted by seq, copied (cheaply) per ruling.
 */
public final class CommanderWindow {
    /** The window of a commander that has sent nothing yet. */
    public static final CommanderWindow EMPTY = new CommanderWindow(new AppliedCommand[0]);

    private final AppliedCommand[] bySeq;

    private CommanderWindow(AppliedCommand[] bySeq) {
        this.bySeq = bySeq;
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
        int at = indexOf(seq);
        if (at >= 0) {
            AppliedCommand known = bySeq[at];
            return known.sameDigest(digest) ? new Lookup.Known(known) : new Lookup.Conflict(known);
        }
        boolean full = bySeq.length >= CommandLimits.DEDUP_WINDOW_SEQS_MAX;
        return full && at == -1 ? new Lookup.BelowWindow() : new Lookup.New();
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

    /** A window that also remembers {@code applied} (a seq not in it), dropping the lowest beyond the limit. */
    public CommanderWindow with(AppliedCommand applied) {
        int at = indexOf(applied.seq());
        if (at >= 0) {
            throw new IllegalArgumentException("seq " + Long.toUnsignedString(applied.seq()) + " is already ruled on");
        }
        int insert = -at - 1;
        AppliedCommand[] next = new AppliedCommand[bySeq.length + 1];
        System.arraycopy(bySeq, 0, next, 0, insert);
        next[insert] = applied;
        System.arraycopy(bySeq, insert, next, insert + 1, bySeq.length - insert);
        int drop = Math.max(0, next.length - CommandLimits.DEDUP_WINDOW_SEQS_MAX);
        return new CommanderWindow(drop == 0 ? next : Arrays.copyOfRange(next, drop, next.length));
    }

    /** Rebuilds a window from a snapshot's entries, ascending by seq (checked by the caller). */
    static CommanderWindow ofSorted(List<AppliedCommand> commands) {
        return new CommanderWindow(commands.toArray(new AppliedCommand[0]));
    }

    /** The remembered commands in ascending (unsigned) seq order; read-only. */
    public List<AppliedCommand> commands() {
        return Collections.unmodifiableList(Arrays.asList(bySeq));
    }

    private int indexOf(long seq) {
        int low = 0;
        int high = bySeq.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int order = Long.compareUnsigned(bySeq[mid].seq(), seq);
            if (order < 0) {
                low = mid + 1;
            } else if (order > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }
}
