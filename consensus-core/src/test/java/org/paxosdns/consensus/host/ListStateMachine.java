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

/** A test state machine: the list of applied commands (as text); replies "applied@slot". */
final class ListStateMachine implements StateMachine {
    private final List<String> applied = new ArrayList<>();

    @Override
    public synchronized byte[] apply(long slot, byte[] command) {
        applied.add(new String(command, StandardCharsets.UTF_8));
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
}
