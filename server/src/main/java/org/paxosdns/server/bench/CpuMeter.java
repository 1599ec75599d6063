package org.paxosdns.server.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * CPU time that processes spend over a timed window, as the operating system counts it (user
 * plus system, every thread, the JIT and the garbage collector included), divided by the
 * operations of the window: the figure that stays comparable when other work shares the machine.
 */
final class CpuMeter {
    private record Sample(String name, ProcessHandle process, Duration before) {}

    private final List<Sample> samples;

    private CpuMeter(List<Sample> samples) {
        this.samples = samples;
    }

    /** Starts measuring the named processes ({@code names[i]} for {@code pids[i]}) and this one, as "client". */
    static CpuMeter start(List<String> names, List<Long> pids) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            ProcessHandle.of(pids.get(i)).ifPresent(sample(samples, names.get(i)));
        }
        sample(samples, "client").accept(ProcessHandle.current());
        return new CpuMeter(samples);
    }

    private static java.util.function.Consumer<ProcessHandle> sample(List<Sample> samples, String name) {
        return p -> cpu(p).ifPresent(d -> samples.add(new Sample(name, p, d)));
    }

    private static Optional<Duration> cpu(ProcessHandle p) {
        return p.info().totalCpuDuration();
    }

    /**
     * Waits until the processes are quiet, each using less than {@code coreShareMax} of a core over
     * {@code intervalMs}, or until {@code timeoutMs}: the JIT compiles what a warm-up queued for
     * seconds after the warm-up ends, and a timed window opened meanwhile measures the compiler.
     * Returns the milliseconds waited.
     */
    static long awaitQuiet(List<Long> pids, double coreShareMax, long intervalMs, long timeoutMs) throws InterruptedException {
        long t0 = System.nanoTime();
        while ((System.nanoTime() - t0) / 1_000_000 < timeoutMs) {
            CpuMeter meter = start(pids.stream().map(String::valueOf).toList(), pids);
            Thread.sleep(intervalMs);
            boolean quiet = meter.samples.stream().filter(s -> !s.name().equals("client"))
                    .allMatch(s -> cpu(s.process()).map(after -> after.minus(s.before()).toNanos() / 1e6 < coreShareMax * intervalMs)
                            .orElse(true));
            if (quiet) {
                break;
            }
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** {@code node0:123,node1L:98,client:40} (L marks the leader): CPU microseconds per operation since {@link #start}. */
    String perOperation(int operations) {
        return samples.stream().map(s -> s.name() + ":" + cpu(s.process())
                        .map(after -> String.format(Locale.ROOT, "%.0f", after.minus(s.before()).toNanos() / 1e3 / operations))
                        .orElse("?"))
                .collect(Collectors.joining(","));
    }
}
