package org.paxosdns.server.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.paxosdns.server.bench.DnsLatencyBench;
import org.paxosdns.server.bench.WriteBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code paxosdns bench dns-latency}: latency percentiles of any DNS server under an open-loop
 * UDP load at a fixed rate (see {@link DnsLatencyBench}); a warm-up window first, so that this
 * JVM's own compiler is done before the measured one.
 */
@Command(name = "dns-latency", mixinStandardHelpOptions = true,
        description = "Latency percentiles of a DNS server at a fixed query rate over UDP.")
final class DnsLatencyBenchCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, description = "host:port of the DNS server.")
    String server;
    @Option(names = "--queries", required = true, description = "dnsperf-style data file, one \"name TYPE\" per line.")
    Path queries;
    @Option(names = "--rate", required = true, description = "Queries per second.")
    int rate;
    @Option(names = "--seconds", defaultValue = "20", description = "Measured window (default ${DEFAULT-VALUE}).")
    double seconds;
    @Option(names = "--warmup-seconds", defaultValue = "5", description = "Unmeasured window first (default ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Override
    public Integer call() throws Exception {
        InetSocketAddress address = BenchCommand.hostPort(server);
        List<byte[]> wire = DnsLatencyBench.readQueries(queries);
        if (warmupSeconds > 0) {
            DnsLatencyBench.run(address, wire, rate, warmupSeconds);
        }
        DnsLatencyBench.Result r = DnsLatencyBench.run(address, wire, rate, seconds);
        Histogram h = r.latencyNanos();
        System.out.printf(Locale.ROOT, "bench dns-latency: server=%s rate=%d sent=%d answered=%d lost=%d seconds=%.2f "
                        + "avg_ms=%.3f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f p9999_ms=%.3f max_ms=%.3f stddev_ms=%.3f load=%s%n",
                server, rate, r.sent(), r.answered(), r.lost(), r.seconds(), h.getMean() / 1e6, ms(h, 50), ms(h, 90), ms(h, 99),
                ms(h, 99.9), ms(h, 99.99), h.getMaxValue() / 1e6, h.getStdDeviation() / 1e6, WriteBench.loadAverage());
        return r.answered() > 0 ? 0 : 1;
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }
}
