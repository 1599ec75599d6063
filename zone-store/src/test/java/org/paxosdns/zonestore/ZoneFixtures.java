package org.paxosdns.zonestore;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import java.util.List;
import org.paxosdns.identity.CommanderEntry;
import org.paxosdns.identity.HostPort;
import org.paxosdns.identity.Roster;
import org.paxosdns.identity.TestKeys;
import org.paxosdns.proto.Command;
import org.paxosdns.proto.DeleteZone;
import org.paxosdns.proto.FormatVersion;
import org.paxosdns.proto.PutZone;
import org.paxosdns.proto.SignedCommand;
import org.paxosdns.proto.ZoneOp;
import org.paxosdns.zonestore.blob.ContentHash;
import org.paxosdns.zonestore.command.CommandBuilder;

/**
 * Shared test fixtures: a three-server roster whose commander "alice" may change example.com.
 * and "bob" example.org., zone files, and unsigned commands for state-machine tests (apply
 * never verifies signatures: admission does, once).
 */
public final class ZoneFixtures {
    public static final Roster ROSTER = TestKeys.roster(3, i -> new HostPort("127.0.0.1", 7000 + i), List.of(
            new CommanderEntry("alice", TestKeys.commander(0).getPublic(), List.of("example.com.")),
            new CommanderEntry("bob", TestKeys.commander(1).getPublic(), List.of("example.org."))));
    /** Another cluster: same servers, but alice alone, so another cluster ID. */
    public static final Roster OTHER_ROSTER = TestKeys.roster(3, i -> new HostPort("127.0.0.1", 7000 + i), List.of(
            new CommanderEntry("alice", TestKeys.commander(0).getPublic(), List.of("."))));

    private ZoneFixtures() {}

    /** A valid zone file for {@code fqdn} with SOA serial {@code serial}. */
    public static byte[] zone(String fqdn, long serial) {
        return ("$ORIGIN " + fqdn + "\n$TTL 3600\n@ IN SOA ns1 hostmaster " + serial + " 7200 3600 1209600 300\n"
                + "@ IN NS ns1\nns1 IN A 192.0.2.53\nwww IN A 192.0.2.80\n").getBytes(UTF_8);
    }

    public static CommandBuilder alice() {
        return new CommandBuilder(ROSTER.clusterId(), "alice", TestKeys.commander(0).getPrivate());
    }

    public static CommandBuilder bob() {
        return new CommandBuilder(ROSTER.clusterId(), "bob", TestKeys.commander(1).getPrivate());
    }

    /** An unsigned PutZone command of {@code commanderId} (state machine tests only). */
    public static byte[] put(String commanderId, long seq, String fqdn, long serial) {
        return unsigned(commanderId, seq, putOp(fqdn, serial));
    }

    /** An unsigned DeleteZone command. */
    public static byte[] delete(String commanderId, long seq, String fqdn) {
        return unsigned(commanderId, seq, ZoneOp.newBuilder().setDeleteZone(DeleteZone.newBuilder().setFqdn(fqdn)).build());
    }

    public static ZoneOp putOp(String fqdn, long serial) {
        return ZoneOp.newBuilder().setPutZone(PutZone.newBuilder().setFqdn(fqdn)
                .setContentHash(ByteString.copyFrom(ContentHash.of(zone(fqdn, serial)).toBytes()))
                .setSoaSerial((int) serial)).build();
    }

    /** An unsigned command of this cluster with these ops (salt fixed, so equal inputs give equal bytes). */
    public static byte[] unsigned(String commanderId, long seq, ZoneOp... ops) {
        Command command = Command.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setClusterId(ByteString.copyFrom(ROSTER.clusterId())).setAppNdx(1).setCommanderId(commanderId)
                .setSeq(seq).setSalt(ByteString.copyFromUtf8("salt")).addAllOps(List.of(ops)).build();
        return SignedCommand.newBuilder().setFormatVersion(FormatVersion.FORMAT_VERSION_1)
                .setCommand(command.toByteString()).setSig(ByteString.copyFromUtf8("unsigned")).build().toByteArray();
    }
}
