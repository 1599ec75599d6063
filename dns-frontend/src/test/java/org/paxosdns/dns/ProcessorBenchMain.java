package org.paxosdns.dns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.xbill.DNS.Type;

/**
 * CPU cost of answering, without sockets: {@code ProcessorBenchMain ZONEFILE ORIGIN QUERYFILE [CACHE_ENTRIES]}
 * (dnsperf query format) runs the query mix through a {@link QueryProcessor} with and without
 * the answer cache and prints CPU nanoseconds of the answering thread per query (wall time
 * means little on a machine shared with other builds). Not run by the build.
 */
public final class ProcessorBenchMain {
    private static final int rounds = 5;

    private ProcessorBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        ZoneTable zones = new ZoneTable();
        zones.put(TestZones.parse(args[1], Files.readAllBytes(Path.of(args[0]))));
        List<String> lines = Files.readAllLines(Path.of(args[2]));
        byte[][] queries = new byte[lines.size()][];
        for (int i = 0; i < queries.length; i++) {
            String[] p = lines.get(i).split(" ");
            queries[i] = DnsClient.query(p[0] + ".", Type.value(p[1]), 1232).toWire();
        }
        int[] sizes = args.length > 3 ? new int[] {Integer.parseInt(args[3])} : new int[] {0, QueryProcessor.answerCacheEntriesDefaultMax};
        for (int cacheEntries : sizes) {
            QueryProcessor processor = new QueryProcessor(new Responder(ResponderConfig.defaults(), () -> 0), zones, cacheEntries);
            for (int r = 0; r < rounds; r++) {
                long start = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                long bytes = 0;
                for (byte[] q : queries) {
                    bytes += processor.process(q, false).length;
                }
                long ns = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - start;
                System.out.printf("cache=%d round=%d %.0f ns/query (%d bytes)%n", cacheEntries, r, (double) ns / queries.length, bytes);
            }
        }
    }
}
