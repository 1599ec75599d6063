package org.paxosdns.zonestore.admission;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import org.paxosdns.identity.CommanderEntry;
import org.paxosdns.identity.Roster;
import org.paxosdns.identity.Signatures;
import org.paxosdns.identity.SigningPurpose;
import org.paxosdns.proto.SignedUpload;
import org.paxosdns.proto.Upload;
import org.paxosdns.proto.ZoneRefusal;
import org.paxosdns.zonestore.blob.ContentHash;
import org.paxosdns.zonestore.blob.VerifiedBlob;
import org.paxosdns.zonestore.command.CommandDecoder;
import org.paxosdns.zonestore.command.CommandLimits;
import org.paxosdns.zonestore.command.CommandRefusedException;
import org.paxosdns.zonestore.command.Replies;
import org.paxosdns.zonestore.zone.ZoneLimits;

/**
 * The checks on a signed upload before its zone file is stored: size, form, cluster, commander,
 * signature (purpose upload), rights on the zone, and that the content hashes to the stated
 * address. The zone file itself is validated when a command names it. Pure and thread-safe.
 */
public final class UploadAdmission {
    private final Roster roster;

    public UploadAdmission(Roster roster) {
        this.roster = roster;
    }

    /** Rules on one serialized SignedUpload. */
    public UploadCheck admit(byte[] signedUploadBytes) {
        try {
            return accept(signedUploadBytes);
        } catch (CommandRefusedException e) {
            return new UploadCheck.Refused(Replies.uploadRefused(e.refusal(), e.getMessage()));
        }
    }

    private UploadCheck.Accepted accept(byte[] bytes) throws CommandRefusedException {
        if (bytes.length > CommandLimits.SIGNED_UPLOAD_BYTES_MAX) {
            throw new CommandRefusedException(ZoneRefusal.ZONE_REFUSAL_LIMIT_EXCEEDED, "signed upload of " + bytes.length
                    + " bytes exceeds signedUploadBytesMax=" + CommandLimits.SIGNED_UPLOAD_BYTES_MAX);
        }
        SignedUpload signed;
        Upload upload;
        try {
            signed = SignedUpload.parseFrom(bytes);
            CommandDecoder.checkVersion("SignedUpload", signed.getFormatVersion());
            upload = Upload.parseFrom(signed.getUpload());
        } catch (InvalidProtocolBufferException e) {
            throw new CommandRefusedException(ZoneRefusal.ZONE_REFUSAL_MALFORMED, "not a signed upload: " + e.getMessage());
        }
        CommandDecoder.checkVersion("Upload", upload.getFormatVersion());
        CommanderEntry commander = checkSender(upload, signed);
        String fqdn = CommandDecoder.zoneName(upload.getFqdn(), "upload");
        if (!commander.mayChange(fqdn)) {
            throw new CommandRefusedException(ZoneRefusal.ZONE_REFUSAL_NO_RIGHTS, "commander '" + commander.id()
                    + "' may not change " + fqdn + "; its suffixes are " + commander.zoneSuffixes());
        }
        byte[] content = upload.getContent().toByteArray();
        if (content.length > ZoneLimits.ZONE_BYTES_MAX) {
            throw new CommandRefusedException(ZoneRefusal.ZONE_REFUSAL_LIMIT_EXCEEDED, "zone file of " + content.length
                    + " bytes exceeds zoneBytesMax=" + ZoneLimits.ZONE_BYTES_MAX);
        }
        ContentHash stated = CommandDecoder.contentHash(upload.getContentHash(), "upload");
        VerifiedBlob blob = VerifiedBlob.ifMatches(stated, content).orElseThrow(() -> new CommandRefusedException(
                ZoneRefusal.ZONE_REFUSAL_HASH_MISMATCH, "content hashes to " + ContentHash.of(content)
                        + ", not to the stated " + stated));
        return new UploadCheck.Accepted(commander.id(), fqdn, blob);
    }

    private CommanderEntry checkSender(Upload upload, SignedUpload signed) throws CommandRefusedException {
        if (!Arrays.equals(upload.getClusterId().toByteArray(), roster.clusterId())) {
            throw new CommandRefusedException(ZoneRefusal.ZONE_REFUSAL_WRONG_CLUSTER,
                    "upload is for another cluster; this is cluster " + roster.clusterIdHex());
        }
        CommanderEntry commander = roster.commander(upload.getCommanderId()).orElseThrow(() ->
                new CommandRefusedException(ZoneRefusal.ZONE_REFUSAL_UNKNOWN_COMMANDER,
                        "commander '" + upload.getCommanderId() + "' is not in the roster"));
        if (!Signatures.verify(commander.signingKey(), SigningPurpose.UPLOAD, roster.clusterId(),
                signed.getUpload().toByteArray(), signed.getSig().toByteArray())) {
            throw new CommandRefusedException(ZoneRefusal.ZONE_REFUSAL_BAD_SIGNATURE,
                    "signature does not verify with the key of commander '" + commander.id() + "'");
        }
        return commander;
    }
}
