package org.paxosdns.server.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.paxosdns.server.bench.SnapshotBench;
import org.paxosdns.server.bench.WriteBench;
import org.paxosdns.server.process.LocalCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code paxosdns bench snapshot}: the DNS state machine's snapshot with many zones: size, time
 * to take, time to restore, time through the engine's chunked transfer (see {@link SnapshotBench}).
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Snapshot of the DNS state machine with many zones: size, take, restore, chunked transfer.")
final class SnapshotBenchCommand implements Callable<Integer> {
    @Option(names = "--zones", defaultValue = "100000", description = "Zones in the state (default ${DEFAULT-VALUE}).")
    int zones;
    @Option(names = "--dir", description = "Roster and keys, kept for later runs (default: paxosdns-bench-snapshot-3n in the "
            + "temporary directory).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path template = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"), "paxosdns-bench-snapshot-3n");
        LocalCluster cluster = LocalCluster.prepare(template, 3, LocalCluster.freeBasePort(3), 2048);
        Path scratch = Files.createTempDirectory("paxosdns-bench-snapshot-");
        try {
            SnapshotBench.Result r = SnapshotBench.run(cluster.roster(), zones, scratch, System.err);
            System.out.printf(Locale.ROOT, "bench snapshot: zones=%d stateNdx=%d snapshot_bytes=%d fill_s=%.2f take_s=%.3f "
                            + "file_write_s=%.3f file_load_s=%.3f restore_s=%.3f transfer_and_restore_s=%.3f "
                            + "transfer_messages=%d load=%s%n",
                    r.zones(), r.stateNdx(), r.snapshotBytes(), r.fillSeconds(), r.takeSeconds(), r.writeSeconds(),
                    r.loadSeconds(), r.restoreSeconds(), r.transferSeconds(), r.transferMessages(), WriteBench.loadAverage());
            return 0;
        } finally {
            try (var files = Files.list(scratch)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(scratch);
        }
    }
}
