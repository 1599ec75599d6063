package org.paxosdns.dns;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.paxosdns.dns.net.DnsServer;
import org.paxosdns.dns.net.DnsServerConfig;

/**
 * Serves zone files on 127.0.0.1 for manual checks and benchmarks (not run by the build):
 * {@code ServeZonesMain PORT UDP_SOCKETS [ORIGIN=FILE ...]}; without zone arguments it serves
 * the two conformance zones from the test resources. Prints the load time, heap and RSS, then
 * {@code ready port=P} and runs until killed.
 */
public final class ServeZonesMain {
    private ServeZonesMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int sockets = Integer.parseInt(args[1]);
        long start = System.nanoTime();
        ZoneTable zones = args.length > 2 ? new ZoneTable() : TestZones.conformanceZones();
        long records = 0;
        for (int i = 2; i < args.length; i++) {
            String[] originAndFile = args[i].split("=", 2);
            ZoneContent zone = TestZones.parse(originAndFile[0], Files.readAllBytes(Path.of(originAndFile[1])));
            records += zone.recordCount();
            zones.put(zone);
        }
        long loadMs = (System.nanoTime() - start) / 1_000_000;
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("loaded records=%d in %d ms, heap used %d MiB, rss %s%n", records, loadMs,
                (rt.totalMemory() - rt.freeMemory()) >> 20, rss());
        DnsServerConfig cfg = DnsServerConfig.defaults(InetAddress.getLoopbackAddress(), port).withUdpSockets(sockets);
        try (DnsServer server = DnsServer.start(cfg, zones, () -> 0)) {
            System.out.println("ready port=" + server.port());
            new CountDownLatch(1).await();
        }
    }

    private static String rss() throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmRSS")).findFirst().orElse("VmRSS: ?").substring(6).trim();
    }
}
