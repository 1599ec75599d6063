package org.paxosdns.comms;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import org.paxosdns.identity.Roster;
import org.paxosdns.identity.ServerKeys;

/**
 * Everything a {@link Mesh} needs: who this node is, where it listens, where it dials (the
 * roster's peer addresses unless {@code dialOverrides} names another, e.g. a test proxy), and
 * every timer and limit of the peer protocol. {@link #defaults} gives production values; the
 * {@code with...} methods return changed copies.
 *
 * @param keepAliveMs           interval between KeepAlives on an idle or busy session
 * @param downAfterMs           a peer unheard for this long is marked down and its connection closed
 * @param handshakeMsMax        a connection not confirmed (Finished) within this is closed
 * @param backoffMsInitial      first reconnect delay; doubles per failure
 * @param backoffMsMax          reconnect delay cap
 * @param queueMsgsMax          consensus (high-priority) queue length per peer
 * @param queueBytesMax         consensus queue content bytes per peer
 * @param bulkQueueMsgsMax      bulk (blob) queue length per peer
 * @param bulkQueueBytesMax     bulk queue content bytes per peer
 * @param handshakesPerSecondMax accepted connections per second per source IP (token rate)
 * @param handshakeBurstMax     token bucket size for the same
 * @param recordsPerKeyMax      records sealed under one key before the key ratchets
 * @param bytesPerKeyMax        plaintext bytes sealed under one key before the key ratchets
 * @param helloSkewMsMax        a Hello whose time differs more than this from the local clock is refused
 * @param closeWaitMsMax        how long {@link Mesh#close()} waits for the peers' Acks to its Byes
 * @param ioThreads             Netty event-loop threads
 * @param randomSeed            seed for reconnect jitter; null = seeded from SecureRandom
 */
public record MeshConfig(Roster roster, int selfIndex, ServerKeys keys, InetSocketAddress listen,
                         Map<Integer, InetSocketAddress> dialOverrides,
                         long keepAliveMs, long downAfterMs, long handshakeMsMax,
                         long backoffMsInitial, long backoffMsMax,
                         int queueMsgsMax, long queueBytesMax, int bulkQueueMsgsMax, long bulkQueueBytesMax,
                         double handshakesPerSecondMax, int handshakeBurstMax,
                         long recordsPerKeyMax, long bytesPerKeyMax, long helloSkewMsMax, long closeWaitMsMax,
                         int ioThreads, Long randomSeed) {
    public static final long KEEP_ALIVE_MS_DEFAULT = 500;
    public static final long DOWN_AFTER_MS_DEFAULT = 3_000;
    public static final long HANDSHAKE_MS_MAX_DEFAULT = 5_000;
    public static final long BACKOFF_MS_INITIAL_DEFAULT = 100;
    /**
     * Reconnect delay cap: 1 s, so a healed partition rejoins within about a second (a 5 s cap
     * kept the cluster without quorum for seconds after the network was back); one dial per
     * second per peer stays well inside the acceptor's handshake rate limit.
     */
    public static final long BACKOFF_MS_MAX_DEFAULT = 1_000;
    public static final int QUEUE_MSGS_MAX_DEFAULT = 65_536;
    public static final long QUEUE_BYTES_MAX_DEFAULT = 64L << 20;
    public static final int BULK_QUEUE_MSGS_MAX_DEFAULT = 1_024;
    public static final long BULK_QUEUE_BYTES_MAX_DEFAULT = 32L << 20;
    public static final double HANDSHAKES_PER_SECOND_MAX_DEFAULT = 5;
    public static final int HANDSHAKE_BURST_MAX_DEFAULT = 10;
    /** GCM with counter nonces is safe far beyond this; renewing keeps any one key's exposure small. */
    public static final long RECORDS_PER_KEY_MAX_DEFAULT = 1L << 24;
    public static final long BYTES_PER_KEY_MAX_DEFAULT = 1L << 36;
    public static final long HELLO_SKEW_MS_MAX_DEFAULT = 120_000;
    public static final long CLOSE_WAIT_MS_MAX_DEFAULT = 2_000;
    public static final int IO_THREADS_DEFAULT = 2;

    public MeshConfig {
        Objects.requireNonNull(roster, "roster");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(listen, "listen");
        dialOverrides = Map.copyOf(dialOverrides);
        if (selfIndex < 0 || selfIndex >= roster.size()) {
            throw new IllegalArgumentException("selfIndex " + selfIndex + " is not in a roster of " + roster.size());
        }
        positive(keepAliveMs, "keepAliveMs");
        positive(handshakeMsMax, "handshakeMsMax");
        positive(backoffMsInitial, "backoffMsInitial");
        positive(queueMsgsMax, "queueMsgsMax");
        positive(queueBytesMax, "queueBytesMax");
        positive(bulkQueueMsgsMax, "bulkQueueMsgsMax");
        positive(bulkQueueBytesMax, "bulkQueueBytesMax");
        positive(handshakeBurstMax, "handshakeBurstMax");
        positive(recordsPerKeyMax, "recordsPerKeyMax");
        positive(bytesPerKeyMax, "bytesPerKeyMax");
        positive(ioThreads, "ioThreads");
        if (downAfterMs <= keepAliveMs) {
            throw new IllegalArgumentException("downAfterMs must exceed keepAliveMs");
        }
        if (backoffMsMax < backoffMsInitial) {
            throw new IllegalArgumentException("backoffMsMax must be at least backoffMsInitial");
        }
        if (!(handshakesPerSecondMax > 0)) {
            throw new IllegalArgumentException("handshakesPerSecondMax must be positive");
        }
    }

    /** Production settings for server {@code selfIndex} of {@code roster}. */
    public static MeshConfig defaults(Roster roster, int selfIndex, ServerKeys keys, InetSocketAddress listen) {
        return new MeshConfig(roster, selfIndex, keys, listen, Map.of(),
                KEEP_ALIVE_MS_DEFAULT, DOWN_AFTER_MS_DEFAULT, HANDSHAKE_MS_MAX_DEFAULT,
                BACKOFF_MS_INITIAL_DEFAULT, BACKOFF_MS_MAX_DEFAULT,
                QUEUE_MSGS_MAX_DEFAULT, QUEUE_BYTES_MAX_DEFAULT, BULK_QUEUE_MSGS_MAX_DEFAULT, BULK_QUEUE_BYTES_MAX_DEFAULT,
                HANDSHAKES_PER_SECOND_MAX_DEFAULT, HANDSHAKE_BURST_MAX_DEFAULT,
                RECORDS_PER_KEY_MAX_DEFAULT, BYTES_PER_KEY_MAX_DEFAULT, HELLO_SKEW_MS_MAX_DEFAULT,
                CLOSE_WAIT_MS_MAX_DEFAULT, IO_THREADS_DEFAULT, null);
    }

    public MeshConfig withDialOverrides(Map<Integer, InetSocketAddress> overrides) {
        return new MeshConfig(roster, selfIndex, keys, listen, overrides, keepAliveMs, downAfterMs, handshakeMsMax,
                backoffMsInitial, backoffMsMax, queueMsgsMax, queueBytesMax, bulkQueueMsgsMax, bulkQueueBytesMax,
                handshakesPerSecondMax, handshakeBurstMax, recordsPerKeyMax, bytesPerKeyMax, helloSkewMsMax,
                closeWaitMsMax, ioThreads, randomSeed);
    }

    public MeshConfig withTimers(long keepAlive, long downAfter, long handshakeMax, long backoffInitial, long backoffMax) {
        return new MeshConfig(roster, selfIndex, keys, listen, dialOverrides, keepAlive, downAfter, handshakeMax,
                backoffInitial, backoffMax, queueMsgsMax, queueBytesMax, bulkQueueMsgsMax, bulkQueueBytesMax,
                handshakesPerSecondMax, handshakeBurstMax, recordsPerKeyMax, bytesPerKeyMax, helloSkewMsMax,
                closeWaitMsMax, ioThreads, randomSeed);
    }

    public MeshConfig withQueues(int msgsMax, long bytesMax, int bulkMsgsMax, long bulkBytesMax) {
        return new MeshConfig(roster, selfIndex, keys, listen, dialOverrides, keepAliveMs, downAfterMs, handshakeMsMax,
                backoffMsInitial, backoffMsMax, msgsMax, bytesMax, bulkMsgsMax, bulkBytesMax,
                handshakesPerSecondMax, handshakeBurstMax, recordsPerKeyMax, bytesPerKeyMax, helloSkewMsMax,
                closeWaitMsMax, ioThreads, randomSeed);
    }

    public MeshConfig withHandshakeRate(double perSecondMax, int burstMax) {
        return new MeshConfig(roster, selfIndex, keys, listen, dialOverrides, keepAliveMs, downAfterMs, handshakeMsMax,
                backoffMsInitial, backoffMsMax, queueMsgsMax, queueBytesMax, bulkQueueMsgsMax, bulkQueueBytesMax,
                perSecondMax, burstMax, recordsPerKeyMax, bytesPerKeyMax, helloSkewMsMax,
                closeWaitMsMax, ioThreads, randomSeed);
    }

    public MeshConfig withKeyLimits(long recordsMax, long bytesMax) {
        return new MeshConfig(roster, selfIndex, keys, listen, dialOverrides, keepAliveMs, downAfterMs, handshakeMsMax,
                backoffMsInitial, backoffMsMax, queueMsgsMax, queueBytesMax, bulkQueueMsgsMax, bulkQueueBytesMax,
                handshakesPerSecondMax, handshakeBurstMax, recordsMax, bytesMax, helloSkewMsMax,
                closeWaitMsMax, ioThreads, randomSeed);
    }

    public MeshConfig withRandomSeed(long seed) {
        return new MeshConfig(roster, selfIndex, keys, listen, dialOverrides, keepAliveMs, downAfterMs, handshakeMsMax,
                backoffMsInitial, backoffMsMax, queueMsgsMax, queueBytesMax, bulkQueueMsgsMax, bulkQueueBytesMax,
                handshakesPerSecondMax, handshakeBurstMax, recordsPerKeyMax, bytesPerKeyMax, helloSkewMsMax,
                closeWaitMsMax, ioThreads, seed);
    }

    /** Where this node dials peer {@code index}. */
    public InetSocketAddress dialAddress(int index) {
        InetSocketAddress override = dialOverrides.get(index);
        return override != null ? override : roster.server(index).peer().toSocketAddress();
    }

    private static void positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
