package org.paxosdns.zonestore.state;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.paxosdns.identity.Roster;

/**
 * The replicated DNS state machine (appNdx 1): applies chosen commands in slot order and keeps
 * the zone map, the exactly-once windows and stateNdx. {@link #apply}, {@link #restore} and
 * listener registration belong to one thread (the apply thread); {@link #state()},
 * {@link #stateNdx()} and {@link #snapshot()} may be called from any thread and always see
 * one whole state, never half a command. Never touches the blob store.
 */
public final class ZoneStateMachine {
    private static final System.Logger LOG = System.getLogger(ZoneStateMachine.class.getName());

    private final CommandExecutor executor;
    private final List<ZoneStateListener> listeners = new CopyOnWriteArrayList<>();
    private volatile ZoneState state = ZoneState.EMPTY;

    public ZoneStateMachine(Roster roster) {
        this.executor = new CommandExecutor(roster);
    }

    /** Applies one chosen SignedCommand and returns the serialized CommandReply. */
    public byte[] apply(byte[] signedCommandBytes) {
        return applyCommand(signedCommandBytes).reply().toByteArray();
    }

    /** Applies one chosen SignedCommand; the result says the reply, the zone changes and the new state. */
    public ApplyResult applyCommand(byte[] signedCommandBytes) {
        ApplyResult result = executor.apply(state, signedCommandBytes);
        state = result.state();
        for (ZoneStateListener listener : listeners) {
            try {
                listener.applied(result);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a zone state listener failed; the state is applied regardless", e);
            }
        }
        return result;
    }

    /** The current state: immutable, consistent. */
    public ZoneState state() {
        return state;
    }

    /** Executed commands so far (unsigned). */
    public long stateNdx() {
        return state.stateNdx();
    }

    /** The current state as a versioned, deterministic ZoneStateSnapshot. */
    public byte[] snapshot() {
        return SnapshotCodec.encode(state);
    }

    /** Replaces the state with a snapshot's (from this node's disk or a peer); refuses bad bytes, changing nothing. */
    public void restore(byte[] snapshot) throws SnapshotFormatException {
        ZoneState restored = SnapshotCodec.decode(snapshot);
        state = restored;
        for (ZoneStateListener listener : listeners) {
            try {
                listener.restored(restored);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a zone state listener failed on restore; the state is restored regardless", e);
            }
        }
    }

    /** SHA3-256 of the current state's snapshot: equal on replicas that applied the same commands. */
    public byte[] stateDigest() {
        return state.digest();
    }

    public void addListener(ZoneStateListener listener) {
        listeners.add(listener);
    }
}
