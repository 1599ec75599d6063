package org.paxosdns.consensus;

import java.util.Arrays;
import java.util.List;

/**
 * The value agreed for one slot: a batch of opaque commands, applied in order. The empty batch is
 * the no-op a new leader uses to fill holes.
 */
public record SlotValue(List<byte[]> commands) {
    /** The no-op value. */
    public static final SlotValue NOOP = new SlotValue(List.of());

    public SlotValue {
        commands = List.copyOf(commands);
    }

    /** Total bytes of the commands, the figure batch limits are checked against. */
    public long byteSize() {
        long total = 0;
        for (byte[] command : commands) {
            total += command.length;
        }
        return total;
    }

    /**
     * An upper bound of this value's encoded size inside a message: the command bytes plus their
     * framing. Message byte limits are checked against it, so they hold even for a batch of many
     * empty commands.
     */
    public long wireBytesBound() {
        return byteSize() + 8L * commands.size() + 64;
    }

    /** True for the no-op (no commands). */
    public boolean isNoop() {
        return commands.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof SlotValue that) || that.commands.size() != commands.size()) {
            return false;
        }
        for (int i = 0; i < commands.size(); i++) {
            if (!Arrays.equals(commands.get(i), that.commands.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (byte[] command : commands) {
            hash = 31 * hash + Arrays.hashCode(command);
        }
        return hash;
    }

    @Override
    public String toString() {
        return "SlotValue[" + commands.size() + " commands, " + byteSize() + " bytes]";
    }
}
