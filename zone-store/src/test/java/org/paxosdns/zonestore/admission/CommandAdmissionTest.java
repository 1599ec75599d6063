package org.paxosdns.zonestore.admission;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.paxosdns.zonestore.ZoneFixtures.alice;
import static org.paxosdns.zonestore.ZoneFixtures.zone;

import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.paxosdns.identity.TestKeys;
import org.paxosdns.proto.CommandReply;
import org.paxosdns.proto.CommandReply.Status;
import org.paxosdns.proto.SignedCommand;
import org.paxosdns.proto.ZoneRefusal;
import org.paxosdns.zonestore.ZoneFixtures;
import org.paxosdns.zonestore.blob.ContentHash;
import org.paxosdns.zonestore.blob.VerifiedBlob;
import org.paxosdns.zonestore.command.CommandBuilder;
import org.paxosdns.zonestore.command.CommandLimits;
import org.paxosdns.zonestore.state.ZoneStateMachine;
import org.paxosdns.zonestore.zone.ParsedZoneCache;
import org.paxosdns.zonestore.zone.ZoneLimits;
import org.paxosdns.zonestore.zone.ZoneValidator;

final class CommandAdmissionTest {
    private final Map<ContentHash, byte[]> blobs = new HashMap<>();
    private final CommandAdmission admission = new CommandAdmission(ZoneFixtures.ROSTER,
            hash -> Optional.ofNullable(blobs.get(hash)).flatMap(content -> VerifiedBlob.ifMatches(hash, content)),
            new ParsedZoneCache(new ZoneValidator(ZoneLimits.DEFAULT), ParsedZoneCache.CACHED_ZONES_MAX));
    private final ZoneStateMachine machine = new ZoneStateMachine(ZoneFixtures.ROSTER);

    private ContentHash upload(byte[] content) {
        ContentHash hash = ContentHash.of(content);
        blobs.put(hash, content);
        return hash;
    }

    private Admission admit(byte[] signedCommand) {
        return admission.admit(signedCommand, machine.state());
    }

    private CommandReply refusal(byte[] signedCommand, ZoneRefusal expected) {
        CommandReply reply = assertInstanceOf(Admission.Answered.class, admit(signedCommand)).reply();
        assertEquals(expected, reply.getRefusal(), reply.getMessage());
        return reply;
    }

    @Test
    void aGoodCommandIsAcceptedWithItsParsedZones() {
        byte[] content = zone("example.com.", 7);
        upload(content);
        byte[] command = alice().putZoneFile("example.com.", content).sign(1);

        Admission.Accepted accepted = assertInstanceOf(Admission.Accepted.class, admit(command));
        assertArrayEquals(command, accepted.signedCommandBytes());
        assertEquals(7, accepted.zones().get(0).soaSerial());
        assertEquals(java.util.List.of(ContentHash.of(content)), accepted.command().neededBlobs());
    }

    @Test
    void aForgedSignatureIsRefused() {
        upload(zone("example.com.", 7));
        CommandBuilder mallory = new CommandBuilder(ZoneFixtures.ROSTER.clusterId(), "alice",
                TestKeys.commander(2).getPrivate());
        refusal(mallory.putZoneFile("example.com.", zone("example.com.", 7)).sign(1),
                ZoneRefusal.ZONE_REFUSAL_BAD_SIGNATURE);
    }

    @Test
    void bytesChangedAfterSigningAreRefused() throws Exception {
        upload(zone("example.com.", 7));
        SignedCommand signed = SignedCommand.parseFrom(alice().putZoneFile("example.com.", zone("example.com.", 7)).sign(1));
        byte[] tampered = SignedCommand.parseFrom(ZoneFixtures.put("alice", 1, "example.com.", 7)).toBuilder()
                .setSig(signed.getSig()).build().toByteArray();
        refusal(tampered, ZoneRefusal.ZONE_REFUSAL_BAD_SIGNATURE);
    }

    @Test
    void anUnknownCommanderIsRefused() {
        CommandBuilder stranger = new CommandBuilder(ZoneFixtures.ROSTER.clusterId(), "mallory",
                TestKeys.commander(2).getPrivate());
        CommandReply reply = refusal(stranger.deleteZone("example.com.").sign(1), ZoneRefusal.ZONE_REFUSAL_UNKNOWN_COMMANDER);
        assertTrue(reply.getMessage().contains("mallory"), reply.getMessage());
    }

    @Test
    void anotherClustersCommandIsRefused() {
        CommandBuilder elsewhere = new CommandBuilder(ZoneFixtures.OTHER_ROSTER.clusterId(), "alice",
                TestKeys.commander(0).getPrivate());
        refusal(elsewhere.deleteZone("example.com.").sign(1), ZoneRefusal.ZONE_REFUSAL_WRONG_CLUSTER);
    }

    @Test
    void aZoneOutsideTheCommandersSuffixesIsRefusedOnLabelBoundaries() {
        upload(zone("badexample.com.", 1));
        refusal(alice().putZoneFile("badexample.com.", zone("badexample.com.", 1)).sign(1),
                ZoneRefusal.ZONE_REFUSAL_NO_RIGHTS);
        refusal(alice().deleteZone("example.org.").sign(2), ZoneRefusal.ZONE_REFUSAL_NO_RIGHTS);
    }

    @Test
    void aMissingBlobIsRefused() {
        CommandReply reply = refusal(alice().putZoneFile("example.com.", zone("example.com.", 7)).sign(1),
                ZoneRefusal.ZONE_REFUSAL_BLOB_MISSING);
        assertTrue(reply.getMessage().contains("upload it first"), reply.getMessage());
    }

    @Test
    void aStoredBlobThatDoesNotHashToTheOpsHashReadsAsMissing() {
        byte[] content = zone("example.com.", 7);
        blobs.put(ContentHash.of(content), zone("example.com.", 8)); // as BlobStore does, a corrupt file is no file
        refusal(alice().putZoneFile("example.com.", content).sign(1), ZoneRefusal.ZONE_REFUSAL_BLOB_MISSING);
    }

    @Test
    void aBrokenZoneFileIsRefusedWithItsLine() {
        byte[] broken = "$TTL 60\n@ IN SOA ns1 hm 1 1 1 1 1\n@ IN NS ns1\nwww IN A 300.1.1.1\n".getBytes(UTF_8);
        ContentHash hash = upload(broken);
        CommandReply reply = refusal(alice().putZone("example.com.", hash, 1).sign(1), ZoneRefusal.ZONE_REFUSAL_ZONE_INVALID);
        assertTrue(reply.getResults(0).getMessage().contains("line 4"), reply.getResults(0).getMessage());
    }

    @Test
    void anIncludeIsRefused() {
        byte[] including = "$TTL 60\n@ IN SOA ns1 hm 1 1 1 1 1\n@ IN NS ns1\n$INCLUDE /etc/passwd\n".getBytes(UTF_8);
        CommandReply reply = refusal(alice().putZone("example.com.", upload(including), 1).sign(1),
                ZoneRefusal.ZONE_REFUSAL_ZONE_INVALID);
        assertTrue(reply.getMessage().contains("$INCLUDE is not allowed"), reply.getMessage());
    }

    @Test
    void anOwnerOutsideTheZoneIsRefused() {
        byte[] outside = "$TTL 60\n@ IN SOA ns1 hm 1 1 1 1 1\n@ IN NS ns1\nwww.example.net. IN A 192.0.2.1\n"
                .getBytes(UTF_8);
        CommandReply reply = refusal(alice().putZone("example.com.", upload(outside), 1).sign(1),
                ZoneRefusal.ZONE_REFUSAL_ZONE_INVALID);
        assertTrue(reply.getMessage().contains("outside the zone"), reply.getMessage());
    }

    @Test
    void anOldSerialIsRefused() {
        machine.applyCommand(ZoneFixtures.put("alice", 1, "example.com.", 7));
        upload(zone("example.com.", 7));
        upload(zone("example.com.", 6));
        refusal(alice().putZoneFile("example.com.", zone("example.com.", 7)).sign(2), ZoneRefusal.ZONE_REFUSAL_STALE_SERIAL);
        refusal(alice().putZoneFile("example.com.", zone("example.com.", 6)).sign(3), ZoneRefusal.ZONE_REFUSAL_STALE_SERIAL);
    }

    @Test
    void anOpSerialThatIsNotTheFilesIsRefused() {
        ContentHash hash = upload(zone("example.com.", 7));
        refusal(alice().putZone("example.com.", hash, 8).sign(1), ZoneRefusal.ZONE_REFUSAL_SERIAL_MISMATCH);
    }

    @Test
    void deletingAZoneThatIsNotThereIsRefused() {
        refusal(alice().deleteZone("example.com.").sign(1), ZoneRefusal.ZONE_REFUSAL_NO_SUCH_ZONE);
    }

    @Test
    void tooManyOpsOrBytesAreRefused() {
        CommandBuilder many = alice();
        for (int i = 0; i <= CommandLimits.OPS_PER_COMMAND_MAX; i++) {
            many.deleteZone("z" + i + ".example.com.");
        }
        refusal(many.sign(1), ZoneRefusal.ZONE_REFUSAL_LIMIT_EXCEEDED);
        refusal(new byte[CommandLimits.SIGNED_COMMAND_BYTES_MAX + 1], ZoneRefusal.ZONE_REFUSAL_LIMIT_EXCEEDED);
    }

    @Test
    void garbageIsMalformed() {
        refusal("not protobuf at all".getBytes(UTF_8), ZoneRefusal.ZONE_REFUSAL_MALFORMED);
        byte[] emptyCommand = SignedCommand.newBuilder()
                .setFormatVersion(org.paxosdns.proto.FormatVersion.FORMAT_VERSION_1)
                .setCommand(ByteString.copyFromUtf8("")).build().toByteArray();
        refusal(emptyCommand, ZoneRefusal.ZONE_REFUSAL_MALFORMED);
    }

    @Test
    void theSameSeqWithOtherContentIsASeqConflict() {
        upload(zone("example.com.", 7));
        upload(zone("example.com.", 8));
        byte[] first = alice().putZoneFile("example.com.", zone("example.com.", 7)).sign(1);
        machine.applyCommand(first);

        CommandReply reply = assertInstanceOf(Admission.Answered.class,
                admit(alice().putZoneFile("example.com.", zone("example.com.", 8)).sign(1))).reply();
        assertEquals(Status.SEQ_CONFLICT, reply.getStatus());
    }

    @Test
    void aLostReplyIsAnsweredFromTheCacheWhenTheCommandIsResent() {
        upload(zone("example.com.", 7));
        byte[] command = alice().putZoneFile("example.com.", zone("example.com.", 7)).sign(1);
        Admission.Accepted accepted = assertInstanceOf(Admission.Accepted.class, admit(command));
        CommandReply lost = machine.applyCommand(accepted.signedCommandBytes()).reply();

        CommandReply resent = assertInstanceOf(Admission.Answered.class, admit(command)).reply();
        assertTrue(resent.getDuplicate());
        assertEquals(Status.APPLIED, resent.getStatus());
        assertEquals(lost.getStateNdx(), resent.getStateNdx());
        // A resend that raced the first into the log is caught again at apply time.
        assertTrue(machine.applyCommand(command).reply().getDuplicate());
        assertEquals(1, machine.stateNdx());
    }

    @Test
    void twoCommandsAdmittedAndChosenInReverseOrderAreEachAppliedOnce() {
        upload(zone("a.example.com.", 1));
        upload(zone("b.example.com.", 1));
        byte[] one = alice().putZoneFile("a.example.com.", zone("a.example.com.", 1)).sign(1);
        byte[] two = alice().putZoneFile("b.example.com.", zone("b.example.com.", 1)).sign(2);
        assertInstanceOf(Admission.Accepted.class, admit(one));
        assertInstanceOf(Admission.Accepted.class, admit(two));

        assertEquals(Status.APPLIED, machine.applyCommand(two).reply().getStatus());
        assertEquals(Status.APPLIED, machine.applyCommand(one).reply().getStatus());
        assertTrue(machine.applyCommand(two).reply().getDuplicate());
        assertEquals(2, machine.stateNdx());
    }

    @Test
    void aSeqBelowTheWindowHasAnUnknownOutcome() {
        for (int seq = 2; seq <= CommandLimits.DEDUP_WINDOW_SEQS_MAX + 1; seq++) {
            machine.applyCommand(ZoneFixtures.put("alice", seq, "example.com.", seq));
        }
        upload(zone("example.com.", 5000));
        CommandReply reply = assertInstanceOf(Admission.Answered.class,
                admit(alice().putZoneFile("example.com.", zone("example.com.", 5000)).sign(1))).reply();
        assertEquals(Status.OUTCOME_UNKNOWN, reply.getStatus());
        assertTrue(reply.getMessage().startsWith("outcome unknown: check /v1/zones/example.com."), reply.getMessage());
    }
}
