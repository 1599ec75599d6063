package org.paxosdns.zonestore.command;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.paxosdns.identity.CommanderEntry;
import org.paxosdns.identity.Hashes;
import org.paxosdns.identity.Roster;
import org.paxosdns.identity.ZoneNames;
import org.paxosdns.proto.Command;
import org.paxosdns.proto.FormatVersion;
import org.paxosdns.proto.SignedCommand;
import org.paxosdns.proto.ZoneOp;
import org.paxosdns.proto.ZoneRefusal;
import org.paxosdns.zonestore.blob.ContentHash;

/**
 * Turns untrusted signed-command bytes into a {@link DecodedCommand}, and checks one against
 * the roster (cluster, application, commander, rights). Pure and deterministic: the state
 * machine runs the same checks at apply time, the receiving server at admission.
 */
public final class CommandDecoder {
    /** The application index of the DNS state machine. */
    public static final int DNS_APP_NDX = 1;

    private CommandDecoder() {}

    /** Decodes and checks the form of a SignedCommand; refuses with MALFORMED or LIMIT_EXCEEDED. */
    public static DecodedCommand decode(byte[] signedCommandBytes) throws CommandRefusedException {
        if (signedCommandBytes.length > CommandLimits.SIGNED_COMMAND_BYTES_MAX) {
            throw new CommandRefusedException(ZoneRefusal.ZONE_REFUSAL_LIMIT_EXCEEDED, "signed command of "
                    + signedCommandBytes.length + " bytes exceeds signedCommandBytesMax="
                    + CommandLimits.SIGNED_COMMAND_BYTES_MAX);
        }
        SignedCommand signed;
        Command command;
        try {
            signed = SignedCommand.parseFrom(signedCommandBytes);
            checkVersion("SignedCommand", signed.getFormatVersion());
            command = Command.parseFrom(signed.getCommand());
        } catch (InvalidProtocolBufferException e) {
            throw malformed("not a signed command: " + e.getMessage());
        }
        checkVersion("Command", command.getFormatVersion());
        checkHeader(command);
        byte[] bytes = signed.getCommand().toByteArray();
        return new DecodedCommand(bytes, signed.getSig().toByteArray(), Hashes.sha3(bytes),
                command.getClusterId().toByteArray(), command.getAppNdx(), command.getCommanderId(),
                command.getSeq(), actions(command.getOpsList()));
    }

    /**
     * Checks that {@code command} is addressed to this cluster and application by a commander of
     * the roster, and returns that commander's entry. Rights are checked apart ({@link #checkRights}):
     * a refusal for rights is remembered for exactly-once, one for a stranger cannot be.
     */
    public static CommanderEntry checkAddressedTo(DecodedCommand command, Roster roster) throws CommandRefusedException {
        if (!Arrays.equals(command.clusterId(), roster.clusterId())) {
            throw new CommandRefusedException(ZoneRefusal.ZONE_REFUSAL_WRONG_CLUSTER,
                    "command is for another cluster; this is cluster " + roster.clusterIdHex());
        }
        if (command.appNdx() != DNS_APP_NDX) {
            throw new CommandRefusedException(ZoneRefusal.ZONE_REFUSAL_WRONG_APP,
                    "command is for application " + command.appNdx() + "; zones are application " + DNS_APP_NDX);
        }
        return roster.commander(command.commanderId()).orElseThrow(() ->
                new CommandRefusedException(ZoneRefusal.ZONE_REFUSAL_UNKNOWN_COMMANDER,
                        "commander '" + command.commanderId() + "' is not in the roster"));
    }

    /** Refuses NO_RIGHTS unless {@code commander} may change every zone of {@code actions}. */
    public static void checkRights(CommanderEntry commander, List<ZoneAction> actions) throws CommandRefusedException {
        for (ZoneAction action : actions) {
            if (!commander.mayChange(action.fqdn())) {
                throw new CommandRefusedException(ZoneRefusal.ZONE_REFUSAL_NO_RIGHTS, "commander '" + commander.id()
                        + "' may not change " + action.fqdn() + "; its suffixes are " + commander.zoneSuffixes());
            }
        }
    }

    /** Normalizes a zone name from the wire; refuses MALFORMED when it is not one. */
    public static String zoneName(String fqdn, String where) throws CommandRefusedException {
        try {
            return ZoneNames.normalize(fqdn);
        } catch (IllegalArgumentException e) {
            throw malformed(where + ": " + e.getMessage());
        }
    }

    /** Wraps a 32-byte hash from the wire; refuses MALFORMED otherwise. */
    public static ContentHash contentHash(ByteString bytes, String where) throws CommandRefusedException {
        if (bytes.size() != Hashes.SHA3_256_BYTES) {
            throw malformed(where + ": content_hash has " + bytes.size() + " bytes, not 32");
        }
        return ContentHash.fromBytes(bytes.toByteArray());
    }

    /** Refuses MALFORMED unless {@code version} is one this code reads. */
    public static void checkVersion(String what, FormatVersion version) throws CommandRefusedException {
        if (version != FormatVersion.FORMAT_VERSION_1) {
            throw malformed(what + " has format_version " + version + "; this server reads FORMAT_VERSION_1");
        }
    }

    private static void checkHeader(Command command) throws CommandRefusedException {
        if (command.getClusterId().size() != Hashes.SHA3_256_BYTES) {
            throw malformed("cluster_id has " + command.getClusterId().size() + " bytes, not 32");
        }
        if (command.getCommanderId().isEmpty()) {
            throw malformed("commander_id is empty");
        }
        if (command.getSeq() == 0) {
            throw malformed("seq must be at least 1");
        }
        if (command.getSalt().size() > CommandLimits.SALT_BYTES_MAX) {
            throw malformed("salt longer than saltBytesMax=" + CommandLimits.SALT_BYTES_MAX);
        }
        if (command.getOpsCount() == 0) {
            throw malformed("a command needs at least one op");
        }
        if (command.getOpsCount() > CommandLimits.OPS_PER_COMMAND_MAX) {
            throw new CommandRefusedException(ZoneRefusal.ZONE_REFUSAL_LIMIT_EXCEEDED, command.getOpsCount()
                    + " ops exceed opsPerCommandMax=" + CommandLimits.OPS_PER_COMMAND_MAX);
        }
    }

    private static List<ZoneAction> actions(List<ZoneOp> ops) throws CommandRefusedException {
        List<ZoneAction> actions = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ops.size(); i++) {
            ZoneAction action = action(ops.get(i), "op " + (i + 1));
            if (!seen.add(action.fqdn())) {
                throw malformed("zone " + action.fqdn() + " appears in more than one op");
            }
            actions.add(action);
        }
        return actions;
    }

    private static ZoneAction action(ZoneOp op, String where) throws CommandRefusedException {
        switch (op.getOpCase()) {
            case PUT_ZONE -> {
                var put = op.getPutZone();
                return new ZoneAction.Put(zoneName(put.getFqdn(), where), contentHash(put.getContentHash(), where),
                        Integer.toUnsignedLong(put.getSoaSerial()));
            }
            case DELETE_ZONE -> {
                return new ZoneAction.Delete(zoneName(op.getDeleteZone().getFqdn(), where));
            }
            default -> throw malformed(where + " is neither put_zone nor delete_zone");
        }
    }

    private static CommandRefusedException malformed(String message) {
        return new CommandRefusedException(ZoneRefusal.ZONE_REFUSAL_MALFORMED, message);
    }
}
