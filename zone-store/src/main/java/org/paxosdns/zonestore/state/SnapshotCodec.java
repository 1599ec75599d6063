package org.paxosdns.zonestore.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.paxosdns.identity.Hashes;
import org.paxosdns.identity.ZoneNames;
import org.paxosdns.proto.FormatVersion;
import org.paxosdns.proto.SnapshotCommand;
import org.paxosdns.proto.SnapshotCommander;
import org.paxosdns.proto.SnapshotZone;
import org.paxosdns.proto.ZoneStateSnapshot;
import org.paxosdns.zonestore.blob.ContentHash;
import org.paxosdns.zonestore.command.CommandDecoder;
import org.paxosdns.zonestore.command.CommandLimits;

/**
 * The ZoneStateSnapshot form of a {@link ZoneState}: repeated fields in sorted order and no
 * protobuf maps, so equal states give equal bytes. Decoding checks everything (version,
 * application, order, lengths), because a snapshot may come from a peer.
 */
final class SnapshotCodec {
    private SnapshotCodec() {}

    static byte[] encode(ZoneState state) {
        ZoneStateSnapshot.Builder snapshot = ZoneStateSnapshot.newBuilder()
                .setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setAppNdx(CommandDecoder.DNS_APP_NDX)
                .setStateNdx(state.stateNdx());
        for (ZoneEntry zone : state.zones()) {
            snapshot.addZones(SnapshotZone.newBuilder().setFqdn(zone.fqdn())
                    .setContentHash(ByteString.copyFrom(zone.hash().toBytes())).setSoaSerial((int) zone.soaSerial())
                    .setStateNdx(zone.stateNdx()).setCommanderId(zone.commanderId()));
        }
        state.windows().forEach((id, window) -> {
            SnapshotCommander.Builder commander = SnapshotCommander.newBuilder().setCommanderId(id);
            for (AppliedCommand applied : window.commands()) {
                commander.addCommands(SnapshotCommand.newBuilder().setSeq(applied.seq())
                        .setCommandDigest(ByteString.copyFrom(applied.digest())).setReply(applied.reply()));
            }
            snapshot.addCommanders(commander);
        });
        return snapshot.build().toByteArray();
    }

    static ZoneState decode(byte[] bytes) throws SnapshotFormatException {
        ZoneStateSnapshot snapshot;
        try {
            snapshot = ZoneStateSnapshot.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new SnapshotFormatException("not a zone state snapshot: " + e.getMessage());
        }
        if (snapshot.getFormatVersion() != FormatVersion.FORMAT_VERSION_1) {
            throw new SnapshotFormatException("snapshot format_version " + snapshot.getFormatVersion() + " is unknown");
        }
        if (snapshot.getAppNdx() != CommandDecoder.DNS_APP_NDX) {
            throw new SnapshotFormatException("snapshot of application " + snapshot.getAppNdx() + ", not "
                    + CommandDecoder.DNS_APP_NDX);
        }
        return ZoneState.of(snapshot.getStateNdx(), zones(snapshot.getZonesList()),
                windows(snapshot.getCommandersList()));
    }

    private static List<ZoneEntry> zones(List<SnapshotZone> zones) throws SnapshotFormatException {
        List<ZoneEntry> sorted = new ArrayList<>();
        String previous = null;
        for (SnapshotZone zone : zones) {
            String fqdn = zone.getFqdn();
            if (!normalized(fqdn) || (previous != null && previous.compareTo(fqdn) >= 0)) {
                throw new SnapshotFormatException("snapshot zone '" + fqdn + "' is not normalized or out of order");
            }
            if (zone.getContentHash().size() != Hashes.SHA3_256_BYTES) {
                throw new SnapshotFormatException("snapshot zone " + fqdn + " has a hash of "
                        + zone.getContentHash().size() + " bytes");
            }
            sorted.add(new ZoneEntry(fqdn, ContentHash.fromBytes(zone.getContentHash().toByteArray()),
                    Integer.toUnsignedLong(zone.getSoaSerial()), zone.getStateNdx(), zone.getCommanderId()));
            previous = fqdn;
        }
        return sorted;
    }

    private static Map<String, CommanderWindow> windows(List<SnapshotCommander> commanders)
            throws SnapshotFormatException {
        Map<String, CommanderWindow> byId = new LinkedHashMap<>();
        String previous = null;
        for (SnapshotCommander commander : commanders) {
            String id = commander.getCommanderId();
            if (previous != null && previous.compareTo(id) >= 0) {
                throw new SnapshotFormatException("snapshot commander '" + id + "' is out of order");
            }
            if (commander.getCommandsCount() > CommandLimits.DEDUP_WINDOW_SEQS_MAX) {
                throw new SnapshotFormatException("snapshot commander '" + id + "' remembers "
                        + commander.getCommandsCount() + " commands, more than " + CommandLimits.DEDUP_WINDOW_SEQS_MAX);
            }
            byId.put(id, CommanderWindow.ofSorted(commands(id, commander.getCommandsList())));
            previous = id;
        }
        return byId;
    }

    private static List<AppliedCommand> commands(String id, List<SnapshotCommand> commands)
            throws SnapshotFormatException {
        List<AppliedCommand> applied = new ArrayList<>();
        for (SnapshotCommand command : commands) {
            boolean ascending = applied.isEmpty()
                    || Long.compareUnsigned(applied.get(applied.size() - 1).seq(), command.getSeq()) < 0;
            if (!ascending || command.getCommandDigest().size() != Hashes.SHA3_256_BYTES) {
                throw new SnapshotFormatException("snapshot commander '" + id + "': seq "
                        + Long.toUnsignedString(command.getSeq()) + " out of order or with a bad digest");
            }
            applied.add(new AppliedCommand(command.getSeq(), command.getCommandDigest().toByteArray(),
                    command.getReply()));
        }
        return applied;
    }

    private static boolean normalized(String fqdn) {
        try {
            return ZoneNames.normalize(fqdn).equals(fqdn);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
