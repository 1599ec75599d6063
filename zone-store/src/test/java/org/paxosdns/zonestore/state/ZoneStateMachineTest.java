package org.paxosdns.zonestore.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.paxosdns.zonestore.ZoneFixtures.delete;
import static org.paxosdns.zonestore.ZoneFixtures.put;
import static org.paxosdns.zonestore.ZoneFixtures.putOp;
import static org.paxosdns.zonestore.ZoneFixtures.unsigned;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.paxosdns.proto.CommandReply;
import org.paxosdns.proto.CommandReply.Status;
import org.paxosdns.proto.ZoneRefusal;
import org.paxosdns.zonestore.ZoneFixtures;
import org.paxosdns.zonestore.blob.ContentHash;
import org.paxosdns.zonestore.command.CommandLimits;

final class ZoneStateMachineTest {
    private final ZoneStateMachine machine = new ZoneStateMachine(ZoneFixtures.ROSTER);

    @Test
    void anExecutedCommandSetsTheZoneAndCountsOnce() throws Exception {
        List<ApplyResult> heard = new ArrayList<>();
        machine.addListener(new ZoneStateListener() {
            @Override
            public void applied(ApplyResult result) {
                heard.add(result);
            }

            @Override
            public void restored(ZoneState state) {}
        });

        CommandReply reply = CommandReply.parseFrom(machine.apply(put("alice", 1, "example.com.", 5)));

        assertEquals(Status.APPLIED, reply.getStatus());
        assertEquals(1, reply.getStateNdx());
        assertEquals(1, machine.stateNdx());
        ZoneEntry entry = machine.state().zone("EXAMPLE.com").orElseThrow();
        assertEquals(new ZoneEntry("example.com.", ContentHash.of(ZoneFixtures.zone("example.com.", 5)), 5, 1, "alice"),
                entry);
        ZoneChange.Put change = assertInstanceOf(ZoneChange.Put.class, heard.get(0).changes().get(0));
        assertEquals(entry, change.entry());
        assertTrue(change.previous().isEmpty());
    }

    @Test
    void theSameCommandTwiceGetsTheCachedReplyAndDoesNotCount() {
        byte[] command = put("alice", 1, "example.com.", 5);
        CommandReply first = machine.applyCommand(command).reply();
        ApplyResult again = machine.applyCommand(command);

        assertTrue(again.reply().getDuplicate());
        assertEquals(first.toBuilder().setDuplicate(true).build(), again.reply());
        assertEquals(List.of(), again.changes());
        assertEquals(1, machine.stateNdx());
    }

    @Test
    void theSameSeqWithOtherContentIsASeqConflict() {
        machine.applyCommand(put("alice", 1, "example.com.", 5));
        CommandReply reply = machine.applyCommand(put("alice", 1, "example.com.", 6)).reply();

        assertEquals(Status.SEQ_CONFLICT, reply.getStatus());
        assertEquals(ZoneRefusal.ZONE_REFUSAL_SEQ_REUSED, reply.getRefusal());
        assertEquals(5, machine.state().zone("example.com.").orElseThrow().soaSerial());
        assertEquals(1, machine.stateNdx());
    }

    @Test
    void commandsInReverseOrderAreEachAppliedOnce() {
        assertEquals(Status.APPLIED, machine.applyCommand(put("alice", 2, "b.example.com.", 1)).reply().getStatus());
        assertEquals(Status.APPLIED, machine.applyCommand(put("alice", 1, "a.example.com.", 1)).reply().getStatus());
        assertTrue(machine.applyCommand(put("alice", 2, "b.example.com.", 1)).reply().getDuplicate());
        assertTrue(machine.applyCommand(put("alice", 1, "a.example.com.", 1)).reply().getDuplicate());
        assertEquals(2, machine.stateNdx());
        assertEquals(2, machine.state().zones().size());
    }

    @Test
    void aSeqBelowTheWindowHasAnUnknownOutcome() {
        int window = CommandLimits.DEDUP_WINDOW_SEQS_MAX;
        for (int seq = 2; seq <= window + 2; seq++) {
            machine.applyCommand(put("alice", seq, "example.com.", seq));
        }
        assertEquals(window + 1, machine.stateNdx());
        assertEquals(window, machine.state().window("alice").commands().size());

        CommandReply evicted = machine.applyCommand(put("alice", 2, "example.com.", 2)).reply();
        CommandReply neverSeen = machine.applyCommand(put("alice", 1, "example.com.", 1)).reply();

        for (CommandReply reply : List.of(evicted, neverSeen)) {
            assertEquals(Status.OUTCOME_UNKNOWN, reply.getStatus());
            assertTrue(reply.getMessage().startsWith("outcome unknown: check /v1/zones/example.com."), reply.getMessage());
        }
        assertEquals(window + 1, machine.stateNdx());
        assertTrue(machine.applyCommand(put("alice", 3, "example.com.", 3)).reply().getDuplicate());
    }

    @Test
    void aStaleSerialIsRefusedAtApplyTimeAndTheRefusalIsRemembered() {
        machine.applyCommand(put("alice", 1, "example.com.", 5));
        byte[] stale = put("alice", 2, "example.com.", 4);
        CommandReply reply = machine.applyCommand(stale).reply();

        assertEquals(Status.REFUSED, reply.getStatus());
        assertEquals(ZoneRefusal.ZONE_REFUSAL_STALE_SERIAL, reply.getRefusal());
        assertTrue(reply.getMessage().contains("not newer than the served serial 5"), reply.getMessage());
        assertEquals(1, machine.stateNdx());
        CommandReply resent = machine.applyCommand(stale).reply();
        assertTrue(resent.getDuplicate());
        assertEquals(Status.REFUSED, resent.getStatus());
    }

    @Test
    void deletingAZoneThatIsNotThereIsRefusedAndDoesNotCount() {
        CommandReply reply = machine.applyCommand(delete("alice", 1, "example.com.")).reply();
        assertEquals(ZoneRefusal.ZONE_REFUSAL_NO_SUCH_ZONE, reply.getRefusal());
        assertEquals(0, machine.stateNdx());
    }

    @Test
    void deletingAZoneRemovesItAndReportsIt() {
        machine.applyCommand(put("alice", 1, "example.com.", 5));
        ApplyResult result = machine.applyCommand(delete("alice", 2, "example.com."));
        assertEquals(Status.APPLIED, result.reply().getStatus());
        assertEquals("example.com.", assertInstanceOf(ZoneChange.Deleted.class, result.changes().get(0)).fqdn());
        assertTrue(machine.state().zone("example.com.").isEmpty());
        assertEquals(2, machine.stateNdx());
    }

    @Test
    void severalOpsApplyAllOrNone() {
        byte[] half = unsigned("alice", 1, putOp("a.example.com.", 1),
                org.paxosdns.proto.ZoneOp.newBuilder().setDeleteZone(
                        org.paxosdns.proto.DeleteZone.newBuilder().setFqdn("gone.example.com.")).build());
        CommandReply reply = machine.applyCommand(half).reply();
        assertEquals(Status.REFUSED, reply.getStatus());
        assertEquals(1, reply.getResultsCount());
        assertTrue(machine.state().zones().isEmpty());

        CommandReply both = machine.applyCommand(unsigned("alice", 2, putOp("a.example.com.", 1),
                putOp("b.example.com.", 1))).reply();
        assertEquals(Status.APPLIED, both.getStatus());
        assertEquals(1, machine.stateNdx());
        assertEquals(1, machine.state().zone("b.example.com.").orElseThrow().stateNdx());
    }

    @Test
    void rightsAreCheckedAtApplyTime() {
        CommandReply reply = machine.applyCommand(put("bob", 1, "example.com.", 1)).reply();
        assertEquals(ZoneRefusal.ZONE_REFUSAL_NO_RIGHTS, reply.getRefusal());
        assertEquals(0, machine.stateNdx());
    }

    @Test
    void malformedOrForeignBytesAreRefusedWithoutChange() {
        byte[] digest = machine.stateDigest();
        assertEquals(ZoneRefusal.ZONE_REFUSAL_MALFORMED, machine.applyCommand(new byte[] {1, 2, 3}).reply().getRefusal());
        assertEquals(ZoneRefusal.ZONE_REFUSAL_MALFORMED, machine.applyCommand(new byte[0]).reply().getRefusal());
        assertEquals(ZoneRefusal.ZONE_REFUSAL_UNKNOWN_COMMANDER,
                machine.applyCommand(put("mallory", 1, "example.com.", 1)).reply().getRefusal());
        assertArrayEquals(digest, machine.stateDigest());
    }

    @Test
    void aSnapshotRestoresTheSameStateIncludingExactlyOnce() throws Exception {
        byte[] first = put("alice", 1, "example.com.", 5);
        machine.applyCommand(first);
        machine.applyCommand(put("bob", 7, "example.org.", 9));

        ZoneStateMachine other = new ZoneStateMachine(ZoneFixtures.ROSTER);
        other.restore(machine.snapshot());

        assertEquals(machine.stateNdx(), other.stateNdx());
        assertArrayEquals(machine.stateDigest(), other.stateDigest());
        assertArrayEquals(machine.snapshot(), other.snapshot());
        assertEquals(machine.state().zones(), other.state().zones());
        assertTrue(other.applyCommand(first).reply().getDuplicate());
    }

    @Test
    void replicasThatApplyTheSameCommandsReachTheSameDigest() {
        ZoneStateMachine other = new ZoneStateMachine(ZoneFixtures.ROSTER);
        List<byte[]> commands = List.of(put("alice", 3, "example.com.", 1), put("bob", 1, "example.org.", 1),
                put("alice", 1, "a.example.com.", 1), delete("alice", 2, "example.com."));
        commands.forEach(machine::applyCommand);
        commands.forEach(other::applyCommand);
        assertArrayEquals(machine.stateDigest(), other.stateDigest());

        other.applyCommand(put("bob", 2, "x.example.org.", 1));
        assertFalse(java.util.Arrays.equals(machine.stateDigest(), other.stateDigest()));
    }

    @Test
    void aBadSnapshotIsRefusedAndChangesNothing() {
        machine.applyCommand(put("alice", 1, "example.com.", 5));
        byte[] digest = machine.stateDigest();

        assertThrows(SnapshotFormatException.class, () -> machine.restore(new byte[] {9, 9, 9}));
        byte[] otherApp = org.paxosdns.proto.ZoneStateSnapshot.newBuilder()
                .setFormatVersion(org.paxosdns.proto.FormatVersion.FORMAT_VERSION_1).setAppNdx(2).build().toByteArray();
        assertThrows(SnapshotFormatException.class, () -> machine.restore(otherApp));
        byte[] noVersion = org.paxosdns.proto.ZoneStateSnapshot.newBuilder().setAppNdx(1).build().toByteArray();
        assertThrows(SnapshotFormatException.class, () -> machine.restore(noVersion));
        assertArrayEquals(digest, machine.stateDigest());
    }

    @Test
    void readersOnOtherThreadsSeeWholeCommandsOnly() throws Exception {
        int commands = 300;
        Thread reader = new Thread(() -> {
            while (machine.stateNdx() < commands) {
                ZoneState state = machine.state();
                long a = state.zone("a.example.com.").map(ZoneEntry::stateNdx).orElse(0L);
                long b = state.zone("b.example.com.").map(ZoneEntry::stateNdx).orElse(0L);
                if (a != b || a != state.stateNdx()) {
                    throw new AssertionError("half a command seen: a=" + a + " b=" + b + " at " + state.stateNdx());
                }
            }
        });
        List<Throwable> failures = new ArrayList<>();
        reader.setUncaughtExceptionHandler((t, e) -> failures.add(e));
        reader.start();
        for (int seq = 1; seq <= commands; seq++) {
            machine.applyCommand(unsigned("alice", seq, putOp("a.example.com.", seq), putOp("b.example.com.", seq)));
        }
        reader.join(60_000);
        assertFalse(reader.isAlive());
        assertEquals(List.of(), failures);
        assertNotEquals(0, machine.stateNdx());
    }
}
