package org.paxosdns.zonestore.admission;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.paxosdns.zonestore.ZoneFixtures.alice;
import static org.paxosdns.zonestore.ZoneFixtures.zone;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.paxosdns.identity.SigningPurpose;
import org.paxosdns.identity.Signatures;
import org.paxosdns.identity.TestKeys;
import org.paxosdns.proto.SignedUpload;
import org.paxosdns.proto.Upload;
import org.paxosdns.proto.UploadReply;
import org.paxosdns.proto.ZoneRefusal;
import org.paxosdns.zonestore.ZoneFixtures;
import org.paxosdns.zonestore.blob.ContentHash;
import org.paxosdns.zonestore.command.CommandBuilder;
import org.paxosdns.zonestore.command.CommandLimits;

final class UploadAdmissionTest {
    private final UploadAdmission admission = new UploadAdmission(ZoneFixtures.ROSTER);

    private void refused(byte[] signedUpload, ZoneRefusal expected) {
        UploadReply reply = assertInstanceOf(UploadCheck.Refused.class, admission.admit(signedUpload)).reply();
        assertEquals(UploadReply.Status.REFUSED, reply.getStatus());
        assertEquals(expected, reply.getRefusal(), reply.getMessage());
    }

    @Test
    void aGoodUploadIsAccepted() {
        byte[] content = zone("example.com.", 3);
        UploadCheck.Accepted accepted = assertInstanceOf(UploadCheck.Accepted.class,
                admission.admit(alice().signUpload("Example.com", content)));
        assertEquals("example.com.", accepted.fqdn());
        assertEquals(ContentHash.of(content), accepted.blob().hash());
        assertArrayEquals(content, accepted.blob().content());
    }

    @Test
    void aForgedUploadIsRefused() {
        CommandBuilder forger = new CommandBuilder(ZoneFixtures.ROSTER.clusterId(), "alice",
                TestKeys.commander(1).getPrivate());
        refused(forger.signUpload("example.com.", zone("example.com.", 3)), ZoneRefusal.ZONE_REFUSAL_BAD_SIGNATURE);
    }

    @Test
    void aCommandSignatureDoesNotPassForAnUpload() {
        byte[] upload = Upload.newBuilder().setFormatVersion(org.paxosdns.proto.FormatVersion.FORMAT_VERSION_1)
                .setClusterId(ByteString.copyFrom(ZoneFixtures.ROSTER.clusterId())).setCommanderId("alice")
                .setFqdn("example.com.").setContent(ByteString.copyFrom(zone("example.com.", 3)))
                .setContentHash(ByteString.copyFrom(ContentHash.of(zone("example.com.", 3)).toBytes()))
                .build().toByteArray();
        byte[] sig = Signatures.sign(TestKeys.commander(0).getPrivate(), SigningPurpose.COMMAND,
                ZoneFixtures.ROSTER.clusterId(), upload);
        refused(SignedUpload.newBuilder().setFormatVersion(org.paxosdns.proto.FormatVersion.FORMAT_VERSION_1)
                .setUpload(ByteString.copyFrom(upload)).setSig(ByteString.copyFrom(sig)).build().toByteArray(),
                ZoneRefusal.ZONE_REFUSAL_BAD_SIGNATURE);
    }

    @Test
    void anotherClustersUploadIsRefused() {
        CommandBuilder elsewhere = new CommandBuilder(ZoneFixtures.OTHER_ROSTER.clusterId(), "alice",
                TestKeys.commander(0).getPrivate());
        refused(elsewhere.signUpload("example.com.", zone("example.com.", 3)), ZoneRefusal.ZONE_REFUSAL_WRONG_CLUSTER);
    }

    @Test
    void anUnknownCommandersUploadIsRefused() {
        CommandBuilder stranger = new CommandBuilder(ZoneFixtures.ROSTER.clusterId(), "mallory",
                TestKeys.commander(2).getPrivate());
        refused(stranger.signUpload("example.com.", zone("example.com.", 3)), ZoneRefusal.ZONE_REFUSAL_UNKNOWN_COMMANDER);
    }

    @Test
    void anUploadOutsideTheCommandersSuffixesIsRefused() {
        refused(alice().signUpload("example.org.", zone("example.org.", 3)), ZoneRefusal.ZONE_REFUSAL_NO_RIGHTS);
    }

    @Test
    void aStatedHashThatIsNotTheContentsIsRefused() {
        byte[] upload = Upload.newBuilder().setFormatVersion(org.paxosdns.proto.FormatVersion.FORMAT_VERSION_1)
                .setClusterId(ByteString.copyFrom(ZoneFixtures.ROSTER.clusterId())).setCommanderId("alice")
                .setFqdn("example.com.").setContent(ByteString.copyFrom(zone("example.com.", 3)))
                .setContentHash(ByteString.copyFrom(ContentHash.of(zone("example.com.", 4)).toBytes()))
                .build().toByteArray();
        byte[] sig = Signatures.sign(TestKeys.commander(0).getPrivate(), SigningPurpose.UPLOAD,
                ZoneFixtures.ROSTER.clusterId(), upload);
        refused(SignedUpload.newBuilder().setFormatVersion(org.paxosdns.proto.FormatVersion.FORMAT_VERSION_1)
                .setUpload(ByteString.copyFrom(upload)).setSig(ByteString.copyFrom(sig)).build().toByteArray(),
                ZoneRefusal.ZONE_REFUSAL_HASH_MISMATCH);
    }

    @Test
    void anOversizedOrGarbageUploadIsRefused() {
        refused(new byte[(int) CommandLimits.SIGNED_UPLOAD_BYTES_MAX + 1], ZoneRefusal.ZONE_REFUSAL_LIMIT_EXCEEDED);
        refused(new byte[] {(byte) 0xff, 1, 2}, ZoneRefusal.ZONE_REFUSAL_MALFORMED);
    }
}
