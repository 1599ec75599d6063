package org.paxosdns.server.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.security.KeyPair;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.paxosdns.identity.Hashes;
import org.paxosdns.identity.TestKeys;
import org.paxosdns.proto.FormatVersion;
import org.paxosdns.proto.KvApplied;
import org.paxosdns.proto.KvReply;
import org.paxosdns.proto.KvSnapshot;
import org.paxosdns.proto.SignedKvCommand;

final class KvStateMachineTest {
    private static final byte[] CLUSTER = new byte[32];
    private static KvCommandBuilder commander;
    private static KvCommandBuilder other;

    @BeforeAll
    static void keys() {
        Arrays.fill(CLUSTER, (byte) 7);
        KeyPair pair = TestKeys.commander(0);
        commander = new KvCommandBuilder(CLUSTER, "commander", pair.getPrivate());
        other = new KvCommandBuilder(CLUSTER, "other", pair.getPrivate());
    }

    private static KvReply apply(KvStateMachine sm, byte[] command) throws Exception {
        return KvReply.parseFrom(sm.apply(1, command));
    }

    @Test
    void putCasAndGetThroughTheLog() throws Exception {
        KvStateMachine sm = new KvStateMachine(CLUSTER);
        assertEquals(1, apply(sm, commander.put(1, "k", "a")).getStateNdx());
        KvReply missed = apply(sm, commander.cas(2, "k", "zzz", "b"));
        assertFalse(missed.getSwapped());
        assertEquals(1, missed.getStateNdx(), "a cas that did not swap executes nothing");
        KvReply swapped = apply(sm, commander.cas(3, "k", "a", "b"));
        assertTrue(swapped.getSwapped());
        assertEquals(2, swapped.getStateNdx());
        assertTrue(apply(sm, commander.cas(4, "fresh", null, "x")).getSwapped(), "expect-absent swaps on a missing key");
        KvReply get = apply(sm, commander.get(5, "k"));
        assertTrue(get.getFound());
        assertEquals("b", get.getValue());
        assertEquals("b", sm.read("k").getValue());
        assertFalse(sm.read("never").getFound());
        assertEquals(3, sm.stateNdx());
    }

    @Test
    void aRetryGetsTheCachedReplyAndAnotherCommandWithTheSeqConflicts() throws Exception {
        KvStateMachine sm = new KvStateMachine(CLUSTER);
        byte[] put = commander.put(1, "k", "a");
        KvReply first = apply(sm, put);
        apply(sm, commander.put(2, "k", "b"));
        KvReply again = apply(sm, put);
        assertTrue(again.getDuplicate());
        assertEquals(first.getStateNdx(), again.getStateNdx());
        assertEquals("b", sm.read("k").getValue(), "a duplicate must not execute again");
        assertEquals(KvReply.Status.SEQ_CONFLICT, apply(sm, commander.put(1, "k", "c")).getStatus());
        assertEquals(KvReply.Status.OK, apply(sm, other.put(1, "k", "d")).getStatus(), "windows are per commander");
        byte[] failedCas = commander.cas(3, "k", "nope", "e");
        assertFalse(apply(sm, failedCas).getSwapped());
        apply(sm, commander.put(4, "k", "nope"));
        assertFalse(apply(sm, failedCas).getSwapped(), "a retried cas keeps its first ruling");
    }

    @Test
    void aSeqBelowAFullWindowHasAnUnknownOutcome() throws Exception {
        KvStateMachine sm = new KvStateMachine(CLUSTER);
        byte[] oldest = commander.put(1, "k", "0");
        apply(sm, oldest);
        for (int seq = 2; seq <= KvLimits.DEDUP_WINDOW_SEQS_MAX + 1; seq++) {
            apply(sm, commander.put(seq, "k", Integer.toString(seq)));
        }
        assertEquals(KvReply.Status.OUTCOME_UNKNOWN, apply(sm, oldest).getStatus());
        assertEquals(KvLimits.DEDUP_WINDOW_SEQS_MAX + 1, sm.stateNdx());
    }

    @Test
    void snapshotRestoresTheSameStateAndWindows() throws Exception {
        KvStateMachine sm = new KvStateMachine(CLUSTER);
        byte[] put = commander.put(9, "b", "2");
        apply(sm, commander.put(1, "a", "1"));
        apply(sm, put);
        apply(sm, other.put(3, "c", "3"));
        KvStateMachine copy = new KvStateMachine(CLUSTER);
        copy.restore(sm.snapshot());
        assertArrayEquals(sm.digest(), copy.digest());
        assertArrayEquals(sm.snapshot(), copy.snapshot());
        assertTrue(apply(copy, put).getDuplicate());
        assertEquals(3, copy.stateNdx());
        assertThrows(IllegalStateException.class, () -> copy.restore(new byte[] {(byte) 0xff, 1, 2}));
    }

    @Test
    void badCommandsAreRefusedAndChangeNothing() throws Exception {
        KvStateMachine sm = new KvStateMachine(CLUSTER);
        byte[] digest = sm.digest();
        assertEquals(KvReply.Status.REFUSED, apply(sm, new byte[] {1, 2, 3, (byte) 0x80}).getStatus());
        byte[] elsewhere = new KvCommandBuilder(new byte[32], "commander", TestKeys.commander(1).getPrivate()).put(1, "k", "v");
        assertEquals(KvReply.Status.REFUSED, apply(sm, elsewhere).getStatus());
        assertEquals(KvReply.Status.REFUSED, apply(sm, commander.put(2, "k", "v".repeat(KvLimits.VALUE_BYTES_MAX + 1))).getStatus());
        assertEquals(KvReply.Status.REFUSED, apply(sm, commander.put(3, "", "v")).getStatus());
        assertEquals(KvReply.Status.REFUSED, apply(sm, commander.put(0, "k", "v")).getStatus());
        byte[] huge = SignedKvCommand.newBuilder().setCommand(ByteString.copyFrom(new byte[KvLimits.SIGNED_COMMAND_BYTES_MAX]))
                .build().toByteArray();
        assertEquals(KvReply.Status.REFUSED, apply(sm, huge).getStatus());
        assertArrayEquals(digest, sm.digest());
        assertEquals(0, sm.stateNdx());
    }

    @Test
    void theCachedDigestFollowsEveryApplyAndRestore() throws Exception {
        KvStateMachine sm = new KvStateMachine(CLUSTER);
        byte[] empty = sm.digest();
        apply(sm, commander.put(1, "a", "1"));
        byte[] one = sm.digest();
        assertFalse(Arrays.equals(empty, one));
        assertArrayEquals(Hashes.sha3(sm.snapshot()), one);
        one[0] ^= 1; // a caller changing its copy does not change the cache
        assertArrayEquals(Hashes.sha3(sm.snapshot()), sm.digest());
        sm.restore(new KvStateMachine(CLUSTER).snapshot());
        assertArrayEquals(empty, sm.digest());
    }

    private static byte[] commandBytes(byte[] signed) throws Exception {
        return SignedKvCommand.parseFrom(signed).getCommand().toByteArray();
    }

    @Test
    void theWindowKeepsTheSha256OfTheCommandInAFormat2Snapshot() throws Exception {
        KvStateMachine sm = new KvStateMachine(CLUSTER);
        byte[] put = commander.put(1, "k", "a");
        apply(sm, put);
        KvSnapshot snapshot = KvSnapshot.parseFrom(sm.snapshot());
        assertEquals(FormatVersion.FORMAT_VERSION_2, snapshot.getFormatVersion());
        KvApplied applied = snapshot.getApplied(0);
        assertArrayEquals(java.security.MessageDigest.getInstance("SHA-256").digest(commandBytes(put)),
                applied.getSha256().toByteArray());
        assertTrue(applied.getDigest().isEmpty(), "format 2 writes no SHA3 digest");
    }

    /** A snapshot written before the window's digest became SHA-256: its entries hold SHA3-256. */
    @Test
    void aFormat1SnapshotStillRulesRetriesAndConflictsByItsSha3Digests() throws Exception {
        byte[] put = commander.put(1, "k", "a");
        KvStateMachine before = new KvStateMachine(CLUSTER);
        KvReply first = apply(before, put);
        KvSnapshot.Builder v1 = KvSnapshot.parseFrom(before.snapshot()).toBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1);
        v1.setApplied(0, v1.getApplied(0).toBuilder().clearSha256().setDigest(ByteString.copyFrom(Hashes.sha3(commandBytes(put)))));
        KvStateMachine sm = new KvStateMachine(CLUSTER);
        sm.restore(v1.build().toByteArray());
        KvReply again = apply(sm, put);
        assertTrue(again.getDuplicate());
        assertEquals(first.getStateNdx(), again.getStateNdx());
        assertEquals(KvReply.Status.SEQ_CONFLICT, apply(sm, commander.put(1, "k", "other")).getStatus());
        byte[] second = commander.put(2, "k", "b");
        apply(sm, second);
        KvSnapshot rewritten = KvSnapshot.parseFrom(sm.snapshot());
        assertEquals(FormatVersion.FORMAT_VERSION_2, rewritten.getFormatVersion());
        assertEquals(v1.getApplied(0), rewritten.getApplied(0), "a format-1 entry is kept as it was");
        assertTrue(apply(sm, second).getDuplicate());
        KvStateMachine copy = new KvStateMachine(CLUSTER);
        copy.restore(rewritten.toByteArray());
        assertArrayEquals(sm.digest(), copy.digest());
        assertTrue(apply(copy, put).getDuplicate());
    }

    @Test
    void anEntryWithNeitherDigestNeverCountsAsTheSameCommand() throws Exception {
        byte[] put = commander.put(1, "k", "a");
        KvStateMachine before = new KvStateMachine(CLUSTER);
        apply(before, put);
        KvSnapshot.Builder damaged = KvSnapshot.parseFrom(before.snapshot()).toBuilder();
        damaged.setApplied(0, damaged.getApplied(0).toBuilder().clearSha256());
        KvStateMachine sm = new KvStateMachine(CLUSTER);
        sm.restore(damaged.build().toByteArray());
        assertEquals(KvReply.Status.SEQ_CONFLICT, apply(sm, put).getStatus());
    }

    @Test
    void anUnknownSnapshotFormatIsRefused() throws Exception {
        KvStateMachine sm = new KvStateMachine(CLUSTER);
        apply(sm, commander.put(1, "k", "a"));
        byte[] v3 = KvSnapshot.parseFrom(sm.snapshot()).toBuilder().setFormatVersionValue(3).build().toByteArray();
        KvStateMachine other = new KvStateMachine(CLUSTER);
        assertThrows(IllegalStateException.class, () -> other.restore(v3));
    }
}
