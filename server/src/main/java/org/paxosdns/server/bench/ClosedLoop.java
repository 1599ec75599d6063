package org.paxosdns.server.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load: a fixed number of threads, each doing one blocking operation at a time
 * until a fixed number of operations is done; the timed window starts when every thread is
 * ready and ends when the last operation completes. Latency goes into an HdrHistogram.
 */
public final class ClosedLoop {
    /** Failure texts kept for the report. */
    static final int FAILURES_KEPT_MAX = 5;

    /** One thread's operation: returns null when it succeeded, else why it failed. */
    @FunctionalInterface
    interface Operation {
        String call(int index) throws Exception;
    }

    /** Makes thread {@code thread}'s operation (its connection, say) before the window opens. */
    @FunctionalInterface
    interface OperationFactory {
        Operation open(int thread) throws Exception;
    }

    /** The figures of one run; latencies in nanoseconds. */
    public record Result(int operations, int failed, double seconds, Histogram latencyNanos, List<String> failures, String cpu) {
        public double perSecond() {
            return (operations - failed) / seconds;
        }

        public double percentileMs(double percentile) {
            return latencyNanos.getValueAtPercentile(percentile) / 1e6;
        }

        /** The same figures with the CPU microseconds per operation of each process measured ({@link CpuMeter}). */
        Result withCpu(String cpuPerOperation) {
            return new Result(operations, failed, seconds, latencyNanos, failures, cpuPerOperation);
        }

        /** {@code writes/s=… p50_ms=… p99_ms=… p999_ms=… failed=…}, then {@code cpu_us_per_write=…} when measured. */
        public String figures() {
            return String.format(java.util.Locale.ROOT, "writes/s=%.0f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f failed=%d seconds=%.2f",
                    perSecond(), percentileMs(50), percentileMs(99), percentileMs(99.9), latencyNanos.getMaxValue() / 1e6, failed, seconds)
                    + (cpu.isEmpty() ? "" : " cpu_us_per_write=" + cpu);
        }
    }

    private ClosedLoop() {
    }

    static Result run(int operations, int threads, OperationFactory factory) throws Exception {
        Histogram latency = new ConcurrentHistogram(3);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Operation> ops = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ops.add(factory.open(t));
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (Operation op : ops) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    for (int i = next.getAndIncrement(); i < operations; i = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        String failure = call(op, i);
                        latency.recordValue(System.nanoTime() - t0);
                        if (failure != null && failed.incrementAndGet() <= FAILURES_KEPT_MAX) {
                            failures.add(failure);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-client");
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
        long began = System.nanoTime();
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        return new Result(operations, failed.get(), seconds, latency, List.copyOf(failures), "");
    }

    private static String call(Operation op, int index) {
        try {
            return op.call(index);
        } catch (Exception e) {
            return e.toString();
        }
    }
}
