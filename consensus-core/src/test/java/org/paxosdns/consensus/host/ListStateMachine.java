package org.paxosdns.consensus.host;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A test state machine: the list of applied commands (as text), and the name of the thread that
 * applied each; replies "applied@slot".
 */
final class ListStateMachine implements StateMachine {
    private final List<String> applied = new ArrayList<>();
    private final List<String> appliedBy = new ArrayList<>();
    private final boolean visibleAcrossCrashes;

    ListStateMachine() {
        this(false);
    }

    ListStateMachine(boolean visibleAcrossCrashes) {
        this.visibleAcrossCrashes = visibleAcrossCrashes;
    }

    @Override
    public boolean visibleAcrossCrashes() {
        return visibleAcrossCrashes;
    }

    @Override
    public synchronized byte[] apply(long slot, byte[] command) {
        applied.add(new String(command, StandardCharsets.UTF_8));
        appliedBy.add(Thread.currentThread().getName());
        return ("applied@" + slot).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(applied.size());
            for (String s : applied) {
                out.writeUTF(s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public synchronized void restore(byte[] snapshot) {
        applied.clear();
        appliedBy.clear();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                applied.add(in.readUTF());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized List<String> applied() {
        return List.copyOf(applied);
    }

    /** The threads that applied the commands since the last restore, in the same order. */
    synchronized List<String> appliedBy() {
        return List.copyOf(appliedBy);
    }
}
