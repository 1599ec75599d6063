package org.paxosdns.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paxosdns.identity.CommanderKey;
import org.paxosdns.identity.HostPort;
import org.paxosdns.identity.Roster;
import org.paxosdns.identity.RosterFile;
import org.paxosdns.identity.ServerKeys;
import org.paxosdns.server.client.SeqFile;
import org.paxosdns.server.client.ZoneFiles;

final class ConfigFilesTest {
    @TempDir
    Path dir;

    @Test
    void clusterInitWritesARosterNodeConfigsKeysAndMarkers() throws Exception {
        Roster roster = ClusterInit.run(dir, 3, "127.0.0.1", 9300, 2048);
        Roster read = RosterFile.read(dir.resolve("cluster.json"));
        assertEquals(roster.clusterIdHex(), read.clusterIdHex());
        for (int i = 0; i < 3; i++) {
            NodeConfig config = NodeConfig.read(dir.resolve("node" + i).resolve("node.conf"));
            assertEquals("node" + i, config.name());
            assertEquals(new HostPort("127.0.0.1", 9300 + 10 * i), config.dns());
            assertEquals(new HostPort("127.0.0.1", 9300 + 10 * i + 1), config.peer());
            assertEquals(read.server(i).ops(), config.ops());
            ServerKeys.load(config.keys()).checkAgainst(read.server(i));
            assertTrue(Files.exists(config.data().resolve(ClusterInit.BOOTSTRAP_MARKER)));
        }
        assertEquals("commander", CommanderKey.load(dir.resolve("commander/commander.key"), read).id());
        assertThrows(java.io.IOException.class, () -> ClusterInit.run(dir, 3, "127.0.0.1", 9300, 2048), "never overwrites");
    }

    @Test
    void badNodeConfigsAreClearErrors() throws Exception {
        Path file = dir.resolve("node.conf");
        Files.writeString(file, "format = 1\nname = n\ncluster = c.json\nkeys = k\ndata = d\ndns = 127.0.0.1:1\n");
        ConfigException missing = assertThrows(ConfigException.class, () -> NodeConfig.read(file));
        assertTrue(missing.getMessage().contains("'peer'"), missing.getMessage());
        Files.writeString(file, "format = 2\n");
        assertTrue(assertThrows(ConfigException.class, () -> NodeConfig.read(file)).getMessage().contains("format = 2"));
        Files.writeString(file, "format = 1\nname = n\ncluster = c.json\nkeys = k\ndata = d\ndns = nonsense\n"
                + "peer = 127.0.0.1:2\ncommander = 127.0.0.1:3\nops = 127.0.0.1:4\n");
        assertTrue(assertThrows(ConfigException.class, () -> NodeConfig.read(file)).getMessage().contains("'dns'"));
        assertThrows(ConfigException.class, () -> NodeConfig.read(dir.resolve("absent.conf")));
    }

    @Test
    void dialOverridesAndExtraSettingsRoundTrip() throws Exception {
        Path file = dir.resolve("node.conf");
        Files.writeString(file, "format = 1\nname = n\ncluster = c.json\nkeys = k\ndata = d\ndns = 127.0.0.1:1\n"
                + "peer = 127.0.0.1:2\ncommander = 127.0.0.1:3\nops = 127.0.0.1:4\ndial.node1 = 127.0.0.1:7000\n"
                + "dns.hide-version = true\n");
        NodeConfig config = NodeConfig.read(file);
        assertEquals(new HostPort("127.0.0.1", 7000), config.dialOverrides().get("node1"));
        assertEquals("true", config.setting("dns.hide-version", "false"));
        config.write(dir.resolve("copy.conf"));
        assertEquals(config, NodeConfig.read(dir.resolve("copy.conf")));
    }

    @Test
    void aNumberSettingThatIsNotAPositiveWholeNumberNamesItsKey() throws Exception {
        Path file = dir.resolve("node.conf");
        String base = "format = 1\nname = n\ncluster = c.json\nkeys = k\ndata = d\ndns = 127.0.0.1:1\n"
                + "peer = 127.0.0.1:2\ncommander = 127.0.0.1:3\nops = 127.0.0.1:4\n";
        Files.writeString(file, base + "blob.scrub-ms = 500\n");
        assertEquals(500, NodeConfig.read(file).positiveLong("blob.scrub-ms", 60_000));
        assertEquals(60_000, NodeConfig.read(file).positiveLong("blob.scrub-bytes-per-second", 60_000));
        for (String bad : new String[] {"fast", "0", "-5", "1e3"}) {
            Files.writeString(file, base + "blob.scrub-ms = " + bad + "\n");
            NodeConfig config = NodeConfig.read(file);
            String message = assertThrows(ConfigException.class, () -> config.positiveLong("blob.scrub-ms", 1)).getMessage();
            assertTrue(message.contains("blob.scrub-ms") && message.contains(bad), message);
        }
    }

    @Test
    void seqsNeverRepeatAcrossInstances() throws Exception {
        Path key = dir.resolve("commander.key");
        long first = new SeqFile(key).next();
        long second = new SeqFile(key).next(); // as after a restart of the tool
        assertTrue(second > first);
        Files.writeString(dir.resolve("commander.key.seq"), Long.toString(Long.MAX_VALUE / 2) + "\n");
        assertEquals(Long.MAX_VALUE / 2 + 1, new SeqFile(key).next());
    }

    @Test
    void aZoneFileNamesItsZoneByItsSoa() throws Exception {
        Path file = dir.resolve("z.zone");
        Files.writeString(file, "$ORIGIN Example.TEST.\n@ 300 IN SOA ns h 1 2 3 4 5\n@ 300 IN NS ns\n");
        assertEquals("example.test.", ZoneFiles.fqdn(file, ZoneFiles.read(file)));
        Files.writeString(file, "@ 300 IN NS ns.example.\n");
        assertFalse(assertThrows(java.io.IOException.class, () -> ZoneFiles.fqdn(file, ZoneFiles.read(file)))
                .getMessage().isEmpty());
    }

    @Test
    void theSoaIsReadWithoutParsingTheRestOfTheFile() throws Exception {
        Path file = dir.resolve("big.zone");
        // a broken line after the SOA: only the server's full check sees it (publish reads up to the SOA for big files)
        Files.writeString(file, "$ORIGIN big.test.\n@ 300 IN SOA ns h 2026112201 2 3 4 5\nwww IN A not-an-address\n");
        assertEquals(new ZoneFiles.Soa("big.test.", 2026112201L), ZoneFiles.soa(file, ZoneFiles.read(file)));
    }
}
