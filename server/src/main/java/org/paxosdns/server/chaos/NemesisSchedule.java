package org.paxosdns.server.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The faults of one chaos run, drawn from the seed alone: the same seed, node count and length
 * give the same schedule. Faults start every {@value #GAP_MS_MIN}..{@value #GAP_MS_MAX} ms and
 * last {@value #LENGTH_MS_MIN}..{@value #LENGTH_MS_MAX} ms, so they overlap. Kills and pauses
 * never take down more than a minority at once (a majority down only stalls the cluster, which
 * tests nothing); network faults have no such bound.
 */
public final class NemesisSchedule {
    /** Quiet time at the start, so the cluster has a leader and clients a baseline, in milliseconds. */
    public static final long QUIET_START_MS = 2_000;
    public static final long GAP_MS_MIN = 500;
    public static final long GAP_MS_MAX = 3_000;
    public static final long LENGTH_MS_MIN = 500;
    public static final long LENGTH_MS_MAX = 5_000;
    /** Link delays drawn, in milliseconds. */
    public static final long DELAY_MS_MIN = 20;
    public static final long DELAY_MS_MAX = 200;

    private NemesisSchedule() {}

    /** The schedule for {@code nodes} nodes over {@code seconds} seconds from {@code seed}. */
    public static List<Fault> generate(long seed, int nodes, int seconds) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Fault> faults = new ArrayList<>();
        long endMs = seconds * 1_000L;
        for (long at = QUIET_START_MS; at < endMs; at += random.nextLong(GAP_MS_MIN, GAP_MS_MAX + 1)) {
            long length = Math.min(random.nextLong(LENGTH_MS_MIN, LENGTH_MS_MAX + 1), endMs - at);
            Fault fault = draw(random, nodes, at, Math.max(LENGTH_MS_MIN, length));
            if ((fault instanceof Fault.Kill || fault instanceof Fault.Pause) && downAt(faults, at, fault.forMs()) >= (nodes - 1) / 2) {
                fault = oneWay(random, nodes, at, fault.forMs()); // a minority is already down: strike the network instead
            }
            faults.add(fault);
        }
        return faults;
    }

    private static Fault draw(SplittableRandom random, int nodes, long at, long length) {
        return switch (random.nextInt(6)) {
            case 0, 1 -> new Fault.Kill(at, length, random.nextBoolean() ? Fault.Kill.LEADER : random.nextInt(nodes));
            case 2 -> new Fault.Pause(at, length, random.nextInt(nodes));
            case 3 -> new Fault.Partition(at, length, minority(random, nodes));
            case 4 -> oneWay(random, nodes, at, length);
            default -> {
                int a = random.nextInt(nodes);
                yield new Fault.Delay(at, length, a, other(random, nodes, a), random.nextLong(DELAY_MS_MIN, DELAY_MS_MAX + 1));
            }
        };
    }

    private static Fault oneWay(SplittableRandom random, int nodes, long at, long length) {
        int from = random.nextInt(nodes);
        return new Fault.OneWay(at, length, from, other(random, nodes, from));
    }

    /** One node alone (isolated) or a random minority. */
    private static TreeSet<Integer> minority(SplittableRandom random, int nodes) {
        int size = 1 + random.nextInt(Math.max(1, (nodes - 1) / 2));
        TreeSet<Integer> side = new TreeSet<>();
        while (side.size() < size) {
            side.add(random.nextInt(nodes));
        }
        return side;
    }

    private static int other(SplittableRandom random, int nodes, int not) {
        int n = random.nextInt(nodes - 1);
        return n >= not ? n + 1 : n;
    }

    /** Most nodes killed or paused at any moment of [at, at + length) by the faults so far. */
    private static int downAt(List<Fault> faults, long at, long length) {
        int most = 0;
        for (long t = at; t < at + length; t += 100) {
            long moment = t;
            int down = (int) faults.stream().filter(f -> f instanceof Fault.Kill || f instanceof Fault.Pause)
                    .filter(f -> f.atMs() <= moment && moment < f.atMs() + f.forMs() + RESTART_MARGIN_MS).count();
            most = Math.max(most, down);
        }
        return most;
    }

    /** A restarted node needs a moment to replay and rejoin before it counts as up, in milliseconds. */
    static final long RESTART_MARGIN_MS = 3_000;
}
