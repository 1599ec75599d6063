package org.paxosdns.consensus;

import java.util.Arrays;

/**
 * A state-machine snapshot for one application: the serialized state after applying every slot up
 * to and including {@code lastSlot}. Keyed by {@code (appNdx, lastSlot)}.
 */
public record Snapshot(int appNdx, long lastSlot, byte[] data) {
    public Snapshot {
        if (lastSlot < 0) {
            throw new IllegalArgumentException("negative snapshot slot " + lastSlot);
        }
        data = data.clone();
    }

    /** The serialized state; a copy, so the snapshot stays immutable. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** A copy of {@code length} bytes of the state from {@code offset}, for chunked transfer. */
    public byte[] slice(int offset, int length) {
        return Arrays.copyOfRange(data, offset, offset + length);
    }

    /** Size of the serialized state. */
    public int size() {
        return data.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Snapshot that && that.appNdx == appNdx && that.lastSlot == lastSlot
                && Arrays.equals(that.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(lastSlot) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Snapshot[app=" + appNdx + ", lastSlot=" + lastSlot + ", " + data.length + " bytes]";
    }
}
