package org.paxosdns.consensus;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The simulator's replicated state machine: which command attempts executed, at which slot. A
 * command starts with 16 bytes: the logical command id, then the attempt id (a client's retry of a command
 * is a new attempt). Its snapshot and digest are computed over the entries sorted by attempt id.
 */
final class SimStateMachine {
    /** attempt id -> {logical id, slot}. */
    private final TreeMap<Long, long[]> executed = new TreeMap<>();
    private final Set<Long> logical = new HashSet<>();
    private long lastSlot;

    static byte[] command(long logicalId, long attemptId) {
        return command(logicalId, attemptId, 16);
    }

    /** A command of {@code bytes} (at least 16): the two ids, then padding. */
    static byte[] command(long logicalId, long attemptId, int bytes) {
        return ByteBuffer.allocate(bytes).putLong(logicalId).putLong(attemptId).array();
    }

    static long logicalId(byte[] command) {
        return ByteBuffer.wrap(command).getLong(0);
    }

    static long attemptId(byte[] command) {
        return ByteBuffer.wrap(command).getLong(8);
    }

    long lastSlot() {
        return lastSlot;
    }

    boolean hasExecuted(long attemptId) {
        return executed.containsKey(attemptId);
    }

    boolean hasLogical(long logicalId) {
        return logical.contains(logicalId);
    }

    /** Applies one slot; the caller has checked the slot follows {@link #lastSlot()}. */
    void apply(long slot, SlotValue value) {
        for (byte[] command : value.commands()) {
            executed.putIfAbsent(attemptId(command), new long[] {logicalId(command), slot});
            logical.add(logicalId(command));
        }
        lastSlot = slot;
    }

    byte[] snapshot() {
        ByteBuffer out = ByteBuffer.allocate(8 + executed.size() * 24).putLong(lastSlot);
        for (Map.Entry<Long, long[]> e : executed.entrySet()) {
            out.putLong(e.getKey()).putLong(e.getValue()[0]).putLong(e.getValue()[1]);
        }
        return out.array();
    }

    static SimStateMachine restore(byte[] snapshot) {
        SimStateMachine sm = new SimStateMachine();
        ByteBuffer in = ByteBuffer.wrap(snapshot);
        sm.lastSlot = in.getLong();
        while (in.hasRemaining()) {
            long attempt = in.getLong();
            long logicalId = in.getLong();
            long slot = in.getLong();
            sm.executed.put(attempt, new long[] {logicalId, slot});
            sm.logical.add(logicalId);
        }
        return sm;
    }

    /** SHA-256 over the sorted entries (the snapshot form is already sorted). */
    String digest() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(snapshot());
            return java.util.HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
