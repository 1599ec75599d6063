package org.paxosdns.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RosterTest {
    @TempDir
    Path dir;

    private static Roster three() {
        return TestKeys.roster(3, i -> new HostPort("127.0.0.1", 5301 + 10 * i));
    }

    @Test
    void jsonRoundTripKeepsTheClusterId() throws Exception {
        Roster roster = three();
        RosterFile.write(dir.resolve("cluster.json"), roster);
        Roster read = RosterFile.read(dir.resolve("cluster.json"));
        assertArrayEquals(roster.clusterId(), read.clusterId());
        assertEquals(3, read.size());
        assertEquals(2, read.quorum());
        assertEquals("node1", read.server(1).name());
        assertEquals(new HostPort("127.0.0.1", 5311), read.server(1).peer());
    }

    @Test
    void addressesDoNotChangeTheClusterIdButMembersDo() {
        Roster roster = three();
        Roster moved = TestKeys.roster(3, i -> new HostPort("10.0.0." + i, 7000));
        assertArrayEquals(roster.clusterId(), moved.clusterId());
        Roster four = TestKeys.roster(4, i -> new HostPort("127.0.0.1", 5301 + 10 * i));
        assertFalse(java.util.Arrays.equals(roster.clusterId(), four.clusterId()));
        Roster otherRights = TestKeys.roster(3, i -> new HostPort("127.0.0.1", 1), List.of(
                new CommanderEntry("commander0", TestKeys.commander(0).getPublic(), List.of("example.test."))));
        assertFalse(java.util.Arrays.equals(roster.clusterId(), otherRights.clusterId()));
    }

    @Test
    void nodeIdMustMatchTheSigningKey() {
        String json = RosterFile.toJson(three()).replace(TestKeys.server(0).nodeId().toHex(), TestKeys.server(4).nodeId().toHex());
        IdentityException e = assertThrows(IdentityException.class, () -> RosterFile.parse(json));
        assertTrue(e.getMessage().contains("nodeId is not the SHA3-256"), e.getMessage());
    }

    @Test
    void malformedRostersAreClearErrors() {
        assertThrows(IdentityException.class, () -> RosterFile.parse("{"));
        assertThrows(IdentityException.class, () -> RosterFile.parse("[]"));
        assertThrows(IdentityException.class, () -> RosterFile.parse("{\"version\": 2, \"servers\": [], \"commanders\": []}"));
        IdentityException missing = assertThrows(IdentityException.class,
                () -> RosterFile.parse("{\"version\": 1, \"commanders\": []}"));
        assertTrue(missing.getMessage().contains("servers"), missing.getMessage());
        String badKey = RosterFile.toJson(three()).replaceFirst("\"sigPubKey\": \"M", "\"sigPubKey\": \"!");
        assertThrows(IdentityException.class, () -> RosterFile.parse(badKey));
        String dupName = RosterFile.toJson(three()).replace("\"node1\"", "\"node0\"");
        assertThrows(IdentityException.class, () -> RosterFile.parse(dupName));
    }

    @Test
    void commanderRightsFollowLabelBoundaries() {
        CommanderEntry c = new CommanderEntry("ci", TestKeys.commander(0).getPublic(), List.of("Example.COM"));
        assertEquals(List.of("example.com."), c.zoneSuffixes());
        assertTrue(c.mayChange("example.com."));
        assertTrue(c.mayChange("www.example.com"));
        assertFalse(c.mayChange("badexample.com."));
        assertFalse(c.mayChange("com."));
        CommanderEntry root = new CommanderEntry("root", TestKeys.commander(0).getPublic(), List.of("."));
        assertTrue(root.mayChange("anything.test."));
    }

    @Test
    void zoneNamesAreNormalizedAndChecked() {
        assertEquals("a.b.", ZoneNames.normalize("A.B"));
        assertEquals(".", ZoneNames.normalize("."));
        assertThrows(IllegalArgumentException.class, () -> ZoneNames.normalize("a..b"));
        assertThrows(IllegalArgumentException.class, () -> ZoneNames.normalize(""));
        assertThrows(IllegalArgumentException.class, () -> ZoneNames.normalize("x".repeat(64) + ".test"));
    }

    @Test
    void commanderKeyIsFoundByItsPublicHalf() throws Exception {
        KeyFiles.writePrivate(dir.resolve("commander.key"), TestKeys.commander(0).getPrivate());
        CommanderKey key = CommanderKey.load(dir.resolve("commander.key"), three());
        assertEquals("commander0", key.id());
        KeyFiles.writePrivate(dir.resolve("stranger.key"), TestKeys.commander(2).getPrivate());
        assertThrows(IdentityException.class, () -> CommanderKey.load(dir.resolve("stranger.key"), three()));
    }

    @Test
    void serverKeysAreCheckedAgainstTheRoster() throws Exception {
        Roster roster = three();
        TestKeys.server(1).checkAgainst(roster.server(1));
        assertThrows(IdentityException.class, () -> TestKeys.server(1).checkAgainst(roster.server(2)));
    }
}
