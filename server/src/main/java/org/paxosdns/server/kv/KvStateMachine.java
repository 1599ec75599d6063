package org.paxosdns.server.kv;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.paxosdns.consensus.host.StateMachine;
import org.paxosdns.identity.Hashes;
import org.paxosdns.proto.FormatVersion;
import org.paxosdns.proto.KvApplied;
import org.paxosdns.proto.KvCas;
import org.paxosdns.proto.KvCommand;
import org.paxosdns.proto.KvEntry;
import org.paxosdns.proto.KvReply;
import org.paxosdns.proto.KvSnapshot;

/**
 * The replicated key-value register (appNdx 2): a sorted map, a per-commander exactly-once
 * window and a stateNdx. Apply is deterministic: it decodes the signed command again (the
 * signature was checked once, at admission) and rules on it from the state alone. A put, or a
 * compare-and-set that swapped, executes and raises stateNdx; a compare-and-set that did not
 * swap, a get sent through the log and a refusal change nothing, but every ruling on a new seq
 * is remembered, so a retry of the same signed bytes gets the same reply. All methods are
 * synchronized: the engine thread applies while commander threads read.
 */
public final class KvStateMachine implements StateMachine {
    private final byte[] clusterId;
    private final TreeMap<String, String> entries = new TreeMap<>();
    private final Map<String, SeqWindow> windows = new HashMap<>();
    private long stateNdx;
    /** Counts every apply and restore: the digest below is cached for one value of it. */
    private long changes;
    private long digestChanges = -1;
    private byte[] digest;

    public KvStateMachine(byte[] clusterId) {
        this.clusterId = clusterId.clone();
    }

    @Override
    public synchronized byte[] apply(long slot, byte[] signedCommand) {
        changes++;
        DecodedKvCommand command;
        try {
            command = KvCodec.decode(signedCommand, clusterId);
        } catch (KvRefusedException e) {
            return reply(KvReply.Status.REFUSED, e.getMessage(), 0).toByteArray();
        }
        Optional<KvReply> known = ruling(command);
        if (known.isPresent()) {
            return known.get().toByteArray();
        }
        KvReply reply = execute(command.command()).setSeq(command.seq()).build();
        remember(command, reply);
        return reply.toByteArray();
    }

    /**
     * What the window already says about this command: the cached reply (marked duplicate), a
     * seq conflict, or outcome unknown below a full window; empty for a command never ruled on.
     */
    public synchronized Optional<KvReply> ruling(DecodedKvCommand command) {
        SeqWindow window = windows.get(command.commanderId());
        if (window == null) {
            return Optional.empty();
        }
        KvApplied applied = window.get(command.seq());
        if (applied != null) {
            if (!sameCommand(applied, command)) {
                return Optional.of(reply(KvReply.Status.SEQ_CONFLICT, "seq " + Long.toUnsignedString(command.seq())
                        + " already carried another command", command.seq()));
            }
            try {
                return Optional.of(KvReply.parseFrom(applied.getReply()).toBuilder().setDuplicate(true).build());
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("a cached reply this machine wrote does not decode", e);
            }
        }
        boolean full = window.size() >= KvLimits.DEDUP_WINDOW_SEQS_MAX;
        if (full && Long.compareUnsigned(command.seq(), window.firstSeq()) < 0) {
            return Optional.of(reply(KvReply.Status.OUTCOME_UNKNOWN, "seq " + Long.toUnsignedString(command.seq())
                    + " is below the exactly-once window: read the key to learn the outcome", command.seq()));
        }
        return Optional.empty();
    }

    /** True when the window's entry was made by these command bytes (SHA-256; SHA3-256 for format-1 entries). */
    private static boolean sameCommand(KvApplied applied, DecodedKvCommand command) {
        return applied.getSha256().isEmpty()
                ? Arrays.equals(applied.getDigest().toByteArray(), command.legacyDigest())
                : Arrays.equals(applied.getSha256().toByteArray(), command.digest());
    }

    /** The current value of {@code key} with the stateNdx it was read at. */
    public synchronized KvReply read(String key) {
        String value = entries.get(key);
        KvReply.Builder r = KvReply.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setStatus(KvReply.Status.OK).setStateNdx(stateNdx).setFound(value != null);
        if (value != null) {
            r.setValue(value);
        }
        return r.build();
    }

    public synchronized long stateNdx() {
        return stateNdx;
    }

    /**
     * SHA3-256 of the snapshot: equal on replicas that applied the same commands. Hashed outside
     * the lock and cached until the next apply, since the ops endpoint asks for it on every poll
     * and hashing megabytes under the lock held the engine thread's applies back.
     */
    public byte[] digest() {
        byte[] bytes;
        long at;
        synchronized (this) {
            if (digestChanges == changes) {
                return digest.clone();
            }
            bytes = snapshot();
            at = changes;
        }
        byte[] hashed = Hashes.sha3(bytes);
        synchronized (this) {
            if (at == changes) {
                digest = hashed;
                digestChanges = at;
            }
        }
        return hashed.clone();
    }

    @Override
    public synchronized byte[] snapshot() {
        KvSnapshot.Builder s = KvSnapshot.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_2).setStateNdx(stateNdx);
        entries.forEach((k, v) -> s.addEntries(KvEntry.newBuilder().setKey(k).setValue(v)));
        new TreeMap<>(windows).forEach((commander, window) -> s.addAllApplied(window.inOrder()));
        return s.build().toByteArray();
    }

    @Override
    public synchronized void restore(byte[] snapshot) {
        changes++;
        KvSnapshot s;
        try {
            s = KvSnapshot.parseFrom(snapshot);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a key-value snapshot the log vouches for does not decode: " + e.getMessage(), e);
        }
        if (s.getFormatVersion() != FormatVersion.FORMAT_VERSION_1 && s.getFormatVersion() != FormatVersion.FORMAT_VERSION_2) {
            throw new IllegalStateException("key-value snapshot format version " + s.getFormatVersionValue() + " is not supported");
        }
        entries.clear();
        windows.clear();
        s.getEntriesList().forEach(e -> entries.put(e.getKey(), e.getValue()));
        s.getAppliedList().forEach(a -> window(a.getCommanderId()).put(a.getSeq(), a));
        stateNdx = s.getStateNdx();
    }

    private KvReply.Builder execute(KvCommand command) {
        return switch (command.getOpCase()) {
            case PUT -> put(command.getPut().getKey(), command.getPut().getValue());
            case CAS -> cas(command.getCas());
            case GET -> read(command.getGet().getKey()).toBuilder();
            case OP_NOT_SET -> reply(KvReply.Status.REFUSED, "command has no operation", command.getSeq()).toBuilder();
        };
    }

    private KvReply.Builder put(String key, String value) {
        if (!entries.containsKey(key) && entries.size() >= KvLimits.KEYS_MAX) {
            return reply(KvReply.Status.REFUSED, "the map holds " + KvLimits.KEYS_MAX + " keys (limit)", 0).toBuilder();
        }
        entries.put(key, value);
        stateNdx++;
        return KvReply.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1).setStatus(KvReply.Status.OK)
                .setStateNdx(stateNdx);
    }

    private KvReply.Builder cas(KvCas cas) {
        String current = entries.get(cas.getKey());
        boolean matches = cas.getExpectAbsent() ? current == null : cas.getExpected().equals(current);
        if (!matches) {
            return KvReply.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1).setStatus(KvReply.Status.OK)
                    .setStateNdx(stateNdx).setSwapped(false);
        }
        return put(cas.getKey(), cas.getValue()).setSwapped(true);
    }

    private void remember(DecodedKvCommand command, KvReply reply) {
        SeqWindow window = window(command.commanderId());
        window.put(command.seq(), KvApplied.newBuilder().setCommanderId(command.commanderId()).setSeq(command.seq())
                .setSha256(ByteString.copyFrom(command.digest())).setReply(reply.toByteString()).build());
        while (window.size() > KvLimits.DEDUP_WINDOW_SEQS_MAX) {
            window.removeFirst();
        }
    }

    private SeqWindow window(String commanderId) {
        return windows.computeIfAbsent(commanderId, c -> new SeqWindow(KvLimits.DEDUP_WINDOW_SEQS_MAX + 1));
    }

    private KvReply reply(KvReply.Status status, String message, long seq) {
        return KvReply.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1).setStatus(status).setMessage(message)
                .setStateNdx(stateNdx).setSeq(seq).build();
    }
}
