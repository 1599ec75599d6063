package org.paxosdns.zonestore.command;

import com.google.protobuf.ByteString;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.paxosdns.identity.SigningPurpose;
import org.paxosdns.identity.Signatures;
import org.paxosdns.identity.ZoneNames;
import org.paxosdns.proto.Command;
import org.paxosdns.proto.DeleteZone;
import org.paxosdns.proto.FormatVersion;
import org.paxosdns.proto.PutZone;
import org.paxosdns.proto.SignedCommand;
import org.paxosdns.proto.SignedUpload;
import org.paxosdns.proto.Upload;
import org.paxosdns.proto.ZoneOp;
import org.paxosdns.zonestore.blob.ContentHash;
import org.paxosdns.zonestore.zone.ZoneCheck;
import org.paxosdns.zonestore.zone.ZoneLimits;
import org.paxosdns.zonestore.zone.ZoneValidator;

/**
 * What a commander uses to publish: collects ops, then signs one command (purpose
 * {@code paxosdns/v1/command}) or an upload (purpose {@code paxosdns/v1/upload}) for one
 * cluster. Zone files are checked locally first, so a broken file never leaves the commander.
 * Not thread-safe; one builder per command.
 */
public final class CommandBuilder {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] clusterId;
    private final String commanderId;
    private final PrivateKey key;
    private final ZoneValidator validator = new ZoneValidator(ZoneLimits.DEFAULT);
    private final List<ZoneOp> ops = new ArrayList<>();

    public CommandBuilder(byte[] clusterId, String commanderId, PrivateKey key) {
        this.clusterId = clusterId.clone();
        this.commanderId = commanderId;
        this.key = key;
    }

    /**
     * Adds a PutZone for a zone file after checking it as the server will (bar the serial
     * comparison); throws IllegalArgumentException with the problem (and line) otherwise.
     */
    public CommandBuilder putZoneFile(String fqdn, byte[] content) {
        ZoneCheck check = validator.parse(fqdn, content);
        if (check instanceof ZoneCheck.Invalid invalid) {
            throw new IllegalArgumentException(fqdn + ": " + invalid.problem().message());
        }
        long serial = ((ZoneCheck.Valid) check).zone().soaSerial();
        return putZone(fqdn, ContentHash.of(content), serial);
    }

    /** Adds a PutZone as given, unchecked (tests and tools that checked already). */
    public CommandBuilder putZone(String fqdn, ContentHash hash, long soaSerial) {
        ops.add(ZoneOp.newBuilder().setPutZone(PutZone.newBuilder().setFqdn(ZoneNames.normalize(fqdn))
                .setContentHash(ByteString.copyFrom(hash.toBytes())).setSoaSerial((int) soaSerial)).build());
        return this;
    }

    /** Adds a DeleteZone. */
    public CommandBuilder deleteZone(String fqdn) {
        ops.add(ZoneOp.newBuilder().setDeleteZone(DeleteZone.newBuilder().setFqdn(ZoneNames.normalize(fqdn))).build());
        return this;
    }

    /** The serialized SignedCommand of the ops so far, with seq {@code seq} and a fresh random salt. */
    public byte[] sign(long seq) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return sign(seq, salt);
    }

    /** The serialized SignedCommand with a given salt; the same inputs give the same command bytes. */
    public byte[] sign(long seq, byte[] salt) {
        byte[] command = Command.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setClusterId(ByteString.copyFrom(clusterId)).setAppNdx(CommandDecoder.DNS_APP_NDX)
                .setCommanderId(commanderId).setSeq(seq).setSalt(ByteString.copyFrom(salt)).addAllOps(ops)
                .build().toByteArray();
        byte[] sig = Signatures.sign(key, SigningPurpose.COMMAND, clusterId, command);
        return SignedCommand.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setCommand(ByteString.copyFrom(command)).setSig(ByteString.copyFrom(sig)).build().toByteArray();
    }

    /** The serialized SignedUpload of one zone file. */
    public byte[] signUpload(String fqdn, byte[] content) {
        byte[] upload = Upload.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setClusterId(ByteString.copyFrom(clusterId)).setCommanderId(commanderId)
                .setFqdn(ZoneNames.normalize(fqdn)).setContentHash(ByteString.copyFrom(ContentHash.of(content).toBytes()))
                .setContent(ByteString.copyFrom(content)).build().toByteArray();
        byte[] sig = Signatures.sign(key, SigningPurpose.UPLOAD, clusterId, upload);
        return SignedUpload.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setUpload(ByteString.copyFrom(upload)).setSig(ByteString.copyFrom(sig)).build().toByteArray();
    }
}
