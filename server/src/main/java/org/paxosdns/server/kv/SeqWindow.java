package org.paxosdns.server.kv;

import java.util.ArrayList;
import java.util.List;
import org.paxosdns.proto.KvApplied;

/**
 * One commander's exactly-once window: its rulings by seq, in unsigned seq order, in two
 * parallel circular arrays. It replaced a {@code TreeMap<Long, KvApplied>}: every write looks its
 * seq up at admission and again when each node applies it, then inserts it and drops the lowest,
 * and each of those walked ten levels of tree nodes and boxed keys, cache misses all (2.7% of the
 * nodes' CPU at full load). Seqs mostly arrive in order, so an insertion is mostly an append and
 * dropping the lowest moves the head; a seq that arrives late shifts the seqs above it.
 */
final class SeqWindow {
    private long[] seqs;
    private KvApplied[] rulings;
    private int head;
    private int size;

    SeqWindow(int initialCapacity) {
        seqs = new long[initialCapacity];
        rulings = new KvApplied[initialCapacity];
    }

    int size() {
        return size;
    }

    /** The lowest seq held; the window must not be empty. */
    long firstSeq() {
        if (size == 0) {
            throw new IllegalStateException("empty window");
        }
        return seqs[head];
    }

    /** The ruling on {@code seq}, or null. */
    KvApplied get(long seq) {
        int at = search(seq);
        return at >= 0 ? rulings[physical(at)] : null;
    }

    /** Holds {@code ruling} for {@code seq}, replacing an earlier ruling on it. */
    void put(long seq, KvApplied ruling) {
        int at = search(seq);
        if (at >= 0) {
            rulings[physical(at)] = ruling;
            return;
        }
        int insertAt = -at - 1;
        if (size == seqs.length) {
            grow();
        }
        for (int i = size; i > insertAt; i--) { // shift the seqs above it one place up (none for an append)
            seqs[physical(i)] = seqs[physical(i - 1)];
            rulings[physical(i)] = rulings[physical(i - 1)];
        }
        seqs[physical(insertAt)] = seq;
        rulings[physical(insertAt)] = ruling;
        size++;
    }

    /** Drops the ruling on the lowest seq; the window must not be empty. */
    void removeFirst() {
        if (size == 0) {
            throw new IllegalStateException("empty window");
        }
        rulings[head] = null;
        head = (head + 1) % seqs.length;
        size--;
    }

    /** The rulings in unsigned seq order. */
    List<KvApplied> inOrder() {
        List<KvApplied> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(rulings[physical(i)]);
        }
        return out;
    }

    /** The logical index of {@code seq}, or {@code -(insertion point) - 1}, as {@link java.util.Arrays#binarySearch}. */
    private int search(long seq) {
        if (size > 0 && Long.compareUnsigned(seqs[physical(size - 1)], seq) < 0) {
            return -size - 1; // the common case: a new seq above every seq held
        }
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = Long.compareUnsigned(seqs[physical(mid)], seq);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -low - 1;
    }

    private int physical(int logical) {
        int p = head + logical;
        return p < seqs.length ? p : p - seqs.length;
    }

    private void grow() {
        long[] moreSeqs = new long[seqs.length * 2];
        KvApplied[] moreRulings = new KvApplied[seqs.length * 2];
        for (int i = 0; i < size; i++) {
            moreSeqs[i] = seqs[physical(i)];
            moreRulings[i] = rulings[physical(i)];
        }
        seqs = moreSeqs;
        rulings = moreRulings;
        head = 0;
    }
}
