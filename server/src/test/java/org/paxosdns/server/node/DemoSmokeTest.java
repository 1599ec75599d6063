package org.paxosdns.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paxosdns.identity.HostPort;
import org.paxosdns.server.client.DnsProbe;
import org.paxosdns.server.process.LocalCluster;

/** The Quick start's first command, run as a user runs it: a demo process, its ready line, dig, Ctrl-C. */
final class DemoSmokeTest {
    @Test
    void demoServesTheSampleZoneFromEveryNodeAndStopsThemAll(@TempDir Path dir) throws Exception {
        int base = LocalCluster.freeBasePort(3);
        Process demo = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "org.paxosdns.server.Main",
                "demo", "--base-port", Integer.toString(base), "--data-dir", dir.toString())
                .redirectErrorStream(true).start();
        try {
            String ready = CompletableFuture.supplyAsync(() -> readyLine(demo)).get(ClusterFixture.WAIT_MS * 2, TimeUnit.MILLISECONDS);
            assertNotNull(ready, "the demo printed no ready line");
            assertTrue(ready.matches("ready nodes=3 dns=\\S+ ops=\\S+ dir=\\S+ stateNdx=1"), ready);
            String dns = ready.replaceAll(".* dns=(\\S+) .*", "$1");
            List<String> servers = List.of(dns.split(","));
            assertEquals(3, servers.size());
            for (String server : servers) {
                InetSocketAddress address = HostPort.parse(server).toSocketAddress();
                OptionalLong serial = DnsProbe.soaSerial(address, "example.test.", Duration.ofSeconds(2));
                assertTrue(serial.isPresent(), server + " answers the sample zone's SOA");
            }
            List<ProcessHandle> nodes = demo.descendants().toList();
            assertEquals(3, nodes.stream().filter(p -> p.info().commandLine().orElse("").contains(" serve ")).count(),
                    "one OS process per node");
            demo.destroy(); // SIGTERM, as Ctrl-C's SIGINT
            assertTrue(demo.waitFor(30, TimeUnit.SECONDS), "the demo exits");
            for (ProcessHandle node : nodes) {
                assertTrue(node.onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).get() == null || !node.isAlive(),
                        "node process " + node.pid() + " stops with the demo");
                assertFalse(node.isAlive());
            }
        } finally {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
        }
    }

    private static String readyLine(Process demo) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ready ")) {
                    return line;
                }
            }
            return null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
