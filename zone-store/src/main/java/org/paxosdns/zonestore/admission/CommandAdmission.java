package org.paxosdns.zonestore.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.paxosdns.identity.CommanderEntry;
import org.paxosdns.identity.Roster;
import org.paxosdns.identity.Signatures;
import org.paxosdns.identity.SigningPurpose;
import org.paxosdns.proto.ZoneRefusal;
import org.paxosdns.proto.ZoneResult;
import org.paxosdns.zonestore.blob.BlobSource;
import org.paxosdns.zonestore.blob.ContentHash;
import org.paxosdns.zonestore.blob.VerifiedBlob;
import org.paxosdns.zonestore.command.CommandDecoder;
import org.paxosdns.zonestore.command.CommandRefusedException;
import org.paxosdns.zonestore.command.DecodedCommand;
import org.paxosdns.zonestore.command.Replies;
import org.paxosdns.zonestore.command.ZoneAction;
import org.paxosdns.zonestore.state.CommanderWindow;
import org.paxosdns.zonestore.state.ZoneEntry;
import org.paxosdns.zonestore.state.ZoneState;
import org.paxosdns.zonestore.zone.ParsedZone;
import org.paxosdns.zonestore.zone.ParsedZoneCache;
import org.paxosdns.zonestore.zone.SerialNumbers;
import org.paxosdns.zonestore.zone.ZoneCheck;

/**
 * The checks a server runs on a command where it enters the cluster, so that bad input stops
 * with a precise reply and nothing is proposed: form and limits, cluster and application,
 * commander, signature (verified here once; replicas do not re-verify), exactly-once lookup,
 * rights on every zone, and each zone file (present, hashing to its address, valid, serial equal
 * to the op's and newer than the served one). Changes nothing; thread-safe.
 */
public final class CommandAdmission {
    private final Roster roster;
    private final BlobSource blobs;
    private final ParsedZoneCache zones;

    public CommandAdmission(Roster roster, BlobSource blobs, ParsedZoneCache zones) {
        this.roster = roster;
        this.blobs = blobs;
        this.zones = zones;
    }

    /** Rules on one SignedCommand against the current {@code state}. */
    public Admission admit(byte[] signedCommandBytes, ZoneState state) {
        long stateNdx = state.stateNdx();
        DecodedCommand command;
        try {
            command = CommandDecoder.decode(signedCommandBytes);
        } catch (CommandRefusedException e) {
            return new Admission.Answered(Replies.refused("", 0, stateNdx, e));
        }
        try {
            CommanderEntry commander = CommandDecoder.checkAddressedTo(command, roster);
            verifySignature(command, commander);
            CommanderWindow.Lookup lookup = state.window(command.commanderId()).lookup(command.seq(), command.digest());
            if (!(lookup instanceof CommanderWindow.Lookup.New)) {
                return new Admission.Answered(CommanderWindow.answer(lookup, command, stateNdx));
            }
            CommandDecoder.checkRights(commander, command.actions());
        } catch (CommandRefusedException e) {
            return new Admission.Answered(Replies.refused(command.commanderId(), command.seq(), stateNdx, e));
        }
        return checkZones(signedCommandBytes, command, state);
    }

    private void verifySignature(DecodedCommand command, CommanderEntry commander) throws CommandRefusedException {
        if (!Signatures.verify(commander.signingKey(), SigningPurpose.COMMAND, roster.clusterId(),
                command.commandBytes(), command.signature())) {
            throw new CommandRefusedException(ZoneRefusal.ZONE_REFUSAL_BAD_SIGNATURE,
                    "signature does not verify with the key of commander '" + commander.id() + "'");
        }
    }

    private Admission checkZones(byte[] signedCommandBytes, DecodedCommand command, ZoneState state) {
        List<ParsedZone> parsed = new ArrayList<>();
        List<VerifiedBlob> read = new ArrayList<>();
        List<ZoneResult> refusals = new ArrayList<>();
        for (ZoneAction action : command.actions()) {
            Optional<ZoneEntry> current = state.zone(action.fqdn());
            try {
                if (action instanceof ZoneAction.Put put) {
                    parsed.add(checkPut(put, readOnce(put.hash(), read), current));
                } else if (current.isEmpty()) {
                    throw new CommandRefusedException(ZoneRefusal.ZONE_REFUSAL_NO_SUCH_ZONE, "no such zone to delete");
                }
            } catch (CommandRefusedException e) {
                refusals.add(Replies.result(action, e.refusal(), action.fqdn() + ": " + e.getMessage()));
            }
        }
        if (refusals.isEmpty()) {
            return new Admission.Accepted(signedCommandBytes, command, parsed, read);
        }
        String message = "refused, nothing applied: "
                + String.join("; ", refusals.stream().map(ZoneResult::getMessage).toList());
        return new Admission.Answered(Replies.refused(command.commanderId(), command.seq(), state.stateNdx(),
                refusals.get(0).getRefusal(), message, refusals));
    }

    /** The verified zone file {@code hash}, read once per command even when two zones share it. */
    private VerifiedBlob readOnce(ContentHash hash, List<VerifiedBlob> read) throws CommandRefusedException {
        for (VerifiedBlob blob : read) {
            if (blob.hash().equals(hash)) {
                return blob;
            }
        }
        VerifiedBlob blob = blobs.read(hash).orElseThrow(() -> new CommandRefusedException(
                ZoneRefusal.ZONE_REFUSAL_BLOB_MISSING, "zone file " + hash + " is not on this server; upload it first"));
        read.add(blob);
        return blob;
    }

    private ParsedZone checkPut(ZoneAction.Put put, VerifiedBlob blob, Optional<ZoneEntry> current)
            throws CommandRefusedException {
        ZoneCheck check = zones.parse(put.fqdn(), blob);
        if (check instanceof ZoneCheck.Invalid invalid) {
            throw new CommandRefusedException(ZoneRefusal.ZONE_REFUSAL_ZONE_INVALID, invalid.problem().message());
        }
        ParsedZone zone = ((ZoneCheck.Valid) check).zone();
        if (zone.soaSerial() != put.soaSerial()) {
            throw new CommandRefusedException(ZoneRefusal.ZONE_REFUSAL_SERIAL_MISMATCH, "the op says SOA serial "
                    + put.soaSerial() + " but the zone file has " + zone.soaSerial());
        }
        if (current.isPresent() && !SerialNumbers.isNewer(zone.soaSerial(), current.get().soaSerial())) {
            throw new CommandRefusedException(ZoneRefusal.ZONE_REFUSAL_STALE_SERIAL, "SOA serial " + zone.soaSerial()
                    + " is not newer than the served serial " + current.get().soaSerial() + " (RFC 1982)");
        }
        return zone;
    }
}
