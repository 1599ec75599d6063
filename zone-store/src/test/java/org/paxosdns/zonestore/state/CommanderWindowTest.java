package org.paxosdns.zonestore.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.paxosdns.proto.CommandReply;
import org.paxosdns.zonestore.command.CommandLimits;

final class CommanderWindowTest {
    private static final byte[] DIGEST = new byte[32];
    private static final byte[] OTHER = new byte[32];

    static {
        OTHER[0] = 1;
    }

    private static AppliedCommand applied(long seq) {
        return new AppliedCommand(seq, DIGEST, CommandReply.getDefaultInstance());
    }

    @Test
    void keepsTheHighestSeqsComparedUnsigned() {
        int max = CommandLimits.DEDUP_WINDOW_SEQS_MAX;
        long top = -1L; // 2^64 - 1, the highest unsigned seq
        CommanderWindow window = CommanderWindow.EMPTY;
        for (long i = 0; i <= max; i++) {
            window = window.with(applied(top - i));
        }
        assertEquals(max, window.commands().size());
        assertEquals(top - max + 1, window.commands().get(0).seq());
        assertEquals(top, window.commands().get(max - 1).seq());

        assertInstanceOf(CommanderWindow.Lookup.BelowWindow.class, window.lookup(top - max, DIGEST));
        assertInstanceOf(CommanderWindow.Lookup.BelowWindow.class, window.lookup(1, DIGEST));
        assertInstanceOf(CommanderWindow.Lookup.Known.class, window.lookup(top, DIGEST));
        assertInstanceOf(CommanderWindow.Lookup.Conflict.class, window.lookup(top, OTHER));
    }

    @Test
    void aWindowThatNeverOverflowedKnowsEverySeqItLacksIsNew() {
        CommanderWindow window = CommanderWindow.EMPTY.with(applied(100));
        assertInstanceOf(CommanderWindow.Lookup.New.class, window.lookup(1, DIGEST));
        assertInstanceOf(CommanderWindow.Lookup.New.class, window.lookup(101, DIGEST));
        assertThrows(IllegalArgumentException.class, () -> window.with(applied(100)));
    }
}
