package org.paxosdns.server.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.paxosdns.server.chaos.ChaosReport;
import org.paxosdns.server.chaos.ChaosRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code paxosdns chaos}: a cluster of node processes under a seeded nemesis (kills, pauses,
 * partitions, one-way cuts, delays) with clients recording a history, then heal, settle and
 * check. Progress goes to standard error; the last line on standard output is the verdict;
 * the exit code is 0 only when every check passed.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Run a cluster under seeded faults and check that nothing acknowledged is lost.")
public final class ChaosCommand implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "3", description = "Cluster size: 3 or 5 (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--seconds", defaultValue = "60", description = "How long the nemesis runs (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--seed", description = "Seed of the fault schedule (default: from the clock, printed).")
    Long seed;

    @Option(names = "--dir", description = "Directory for the cluster (default: a new temporary directory, kept).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (nodes != 3 && nodes != 5) {
            System.err.println("chaos: --nodes must be 3 or 5");
            return 2;
        }
        if (seconds < 1) {
            System.err.println("chaos: --seconds must be at least 1");
            return 2;
        }
        long s = seed != null ? seed : System.currentTimeMillis();
        Path where = dir != null ? dir : Files.createTempDirectory("paxosdns-chaos-");
        ChaosReport report = ChaosRun.run(new ChaosRun.Settings(nodes, seconds, s, where), System.err);
        System.out.println(report.line());
        return report.passed() ? 0 : 1;
    }
}
