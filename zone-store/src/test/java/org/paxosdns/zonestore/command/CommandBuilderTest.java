package org.paxosdns.zonestore.command;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.paxosdns.identity.SigningPurpose;
import org.paxosdns.identity.Signatures;
import org.paxosdns.identity.TestKeys;
import org.paxosdns.zonestore.ZoneFixtures;
import org.paxosdns.zonestore.blob.ContentHash;

final class CommandBuilderTest {
    @Test
    void aBuiltCommandDecodesToItsOpsAndVerifies() throws Exception {
        byte[] content = ZoneFixtures.zone("example.com.", 42);
        byte[] signed = ZoneFixtures.alice().putZoneFile("EXAMPLE.com", content).deleteZone("old.example.com")
                .sign(9, new byte[] {1, 2});

        DecodedCommand command = CommandDecoder.decode(signed);
        assertEquals("alice", command.commanderId());
        assertEquals(9, command.seq());
        assertEquals(List.of(new ZoneAction.Put("example.com.", ContentHash.of(content), 42),
                new ZoneAction.Delete("old.example.com.")), command.actions());
        assertTrue(Signatures.verify(TestKeys.commander(0).getPublic(), SigningPurpose.COMMAND,
                ZoneFixtures.ROSTER.clusterId(), command.commandBytes(), command.signature()));
    }

    @Test
    void reSigningTheSameCommandKeepsItsDigest() throws Exception {
        byte[] salt = {7};
        byte[] first = ZoneFixtures.alice().deleteZone("example.com.").sign(1, salt);
        byte[] second = ZoneFixtures.alice().deleteZone("example.com.").sign(1, salt);
        assertArrayEquals(CommandDecoder.decode(first).digest(), CommandDecoder.decode(second).digest());
    }

    @Test
    void aBrokenZoneFileNeverLeavesTheCommander() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ZoneFixtures.alice()
                .putZoneFile("example.com.", "$TTL 60\n@ IN NS ns1\n".getBytes(UTF_8)));
        assertTrue(e.getMessage().contains("no SOA"), e.getMessage());
    }

    @Test
    void theSameZoneTwiceInOneCommandIsMalformed() {
        byte[] signed = ZoneFixtures.alice().deleteZone("example.com.").deleteZone("Example.com").sign(1);
        CommandRefusedException e = assertThrows(CommandRefusedException.class, () -> CommandDecoder.decode(signed));
        assertTrue(e.getMessage().contains("more than one op"), e.getMessage());
    }
}
