package org.paxosdns.comms;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.paxosdns.identity.ServerEntry;
import org.paxosdns.proto.SessionMessage;

/**
 * This node's relation to one peer: the confirmed connection (if any), the two bounded
 * outbound queues (consensus before bulk) and the counters. A message offered while the peer
 * is down, or when its queue is full, is dropped and counted; offering never blocks.
 */
final class Link {
    /** One bounded FIFO queue with its length and content-byte budget. */
    static final class BoundedQueue {
        private final Queue<SessionMessage> messages = new ConcurrentLinkedQueue<>();
        private final AtomicInteger length = new AtomicInteger();
        private final AtomicLong bytes = new AtomicLong();
        private final int lengthMax;
        private final long bytesMax;

        BoundedQueue(int lengthMax, long bytesMax) {
            this.lengthMax = lengthMax;
            this.bytesMax = bytesMax;
        }

        boolean offer(SessionMessage message, int size) {
            if (length.incrementAndGet() > lengthMax) {
                length.decrementAndGet();
                return false;
            }
            if (bytes.addAndGet(size) > bytesMax) {
                bytes.addAndGet(-size);
                length.decrementAndGet();
                return false;
            }
            messages.add(message);
            return true;
        }

        SessionMessage peek() {
            return messages.peek();
        }

        /** Removes the head; only the one draining connection calls this. */
        SessionMessage poll() {
            SessionMessage message = messages.poll();
            if (message != null) {
                length.decrementAndGet();
                bytes.addAndGet(-message.getAppMsg().getContents().size());
            }
            return message;
        }

        int clear() {
            int dropped = 0;
            while (poll() != null) {
                dropped++;
            }
            return dropped;
        }

        long bytes() {
            return bytes.get();
        }

        int length() {
            return length.get();
        }
    }

    final int index;
    final ServerEntry peer;
    final BoundedQueue high;
    final BoundedQueue bulk;
    final LongAdder sent = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder ups = new LongAdder();
    final LongAdder downs = new LongAdder();
    private volatile PeerConnection active;

    Link(ServerEntry peer, MeshConfig config) {
        this.index = peer.index();
        this.peer = peer;
        this.high = new BoundedQueue(config.queueMsgsMax(), config.queueBytesMax());
        this.bulk = new BoundedQueue(config.bulkQueueMsgsMax(), config.bulkQueueBytesMax());
    }

    PeerConnection active() {
        return active;
    }

    boolean isUp() {
        return active != null;
    }

    /** Queues one AppMsg for the confirmed connection, or drops it. */
    boolean offer(SessionMessage message, int contentBytes, boolean isBulk) {
        PeerConnection connection = active;
        if (connection == null || !(isBulk ? bulk : high).offer(message, contentBytes)) {
            dropped.increment();
            return false;
        }
        connection.scheduleDrain();
        return true;
    }

    /** Makes {@code connection} the confirmed one; returns the connection it replaces, if any. */
    synchronized PeerConnection install(PeerConnection connection) {
        PeerConnection old = active;
        active = connection;
        if (old == null) {
            ups.increment();
        }
        return old;
    }

    /** Forgets {@code connection} if it is the confirmed one; true when the peer thereby went down. */
    boolean detach(PeerConnection connection) {
        synchronized (this) {
            if (active != connection) {
                return false;
            }
            active = null;
        }
        downs.increment();
        dropped.add(high.clear() + bulk.clear());
        return true;
    }
}
