package org.paxosdns.dns.net;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the DNS front end has answered since it started: answers by rcode and transport,
 * truncated answers, answers dropped or slipped by response rate limiting, packets dropped
 * unanswered (responses, runts) and zone transfers. Counted with {@link LongAdder}s, so the
 * event loops never contend on one cache line; read at any time (each value on its own, not a
 * snapshot of all). The rcode is the header's 4-bit code: an extended rcode carried in the OPT
 * record (BADVERS) is counted under its low bits.
 */
public final class DnsCounters {
    /** Codes a DNS header can carry (4 bits). */
    public static final int headerRcodes = 16;

    /** Offsets in the header of the byte with the rcode and of the byte with TC. */
    static final int rcodeByte = 3;
    static final int flagsByte = 2;
    private static final int rcodeMask = 0x0F;
    private static final int tcFlag = 0x02;

    private final LongAdder[] byRcode = new LongAdder[headerRcodes];
    private final LongAdder udpAnswers = new LongAdder();
    private final LongAdder tcpAnswers = new LongAdder();
    private final LongAdder truncated = new LongAdder();
    private final LongAdder rrlDropped = new LongAdder();
    private final LongAdder rrlSlipped = new LongAdder();
    private final LongAdder unanswered = new LongAdder();
    private final LongAdder transfers = new LongAdder();

    DnsCounters() {
        for (int i = 0; i < headerRcodes; i++) {
            byRcode[i] = new LongAdder();
        }
    }

    /** Counts one answer sent; {@code wire} is at least a header long (the processor makes it so). */
    void countAnswer(byte[] wire, boolean tcp) {
        countAnswer(wire[flagsByte], wire[rcodeByte], tcp);
    }

    /** Counts one answer sent, given the header's third and fourth bytes (flags with TC, rcode). */
    void countAnswer(byte flags, byte rcodeAndFlags, boolean tcp) {
        byRcode[rcodeAndFlags & rcodeMask].increment();
        (tcp ? tcpAnswers : udpAnswers).increment();
        if ((flags & tcFlag) != 0) {
            truncated.increment();
        }
    }

    void countRrlDrop() {
        rrlDropped.increment();
    }

    void countRrlSlip() {
        rrlSlipped.increment();
    }

    void countUnanswered() {
        unanswered.increment();
    }

    void countTransfer() {
        transfers.increment();
    }

    /** Answers sent with header rcode {@code rcode} (0..15), RRL slips included. */
    public long answers(int rcode) {
        return byRcode[rcode].sum();
    }

    /** Answers sent over TCP ({@code true}) or UDP ({@code false}), zone transfers not included. */
    public long answers(boolean tcp) {
        return (tcp ? tcpAnswers : udpAnswers).sum();
    }

    /** Answers sent with the TC bit set (too large for the client's UDP limit, or RRL slips). */
    public long truncated() {
        return truncated.sum();
    }

    /** UDP answers withheld by response rate limiting. */
    public long rrlDropped() {
        return rrlDropped.sum();
    }

    /** UDP answers replaced by an empty truncated answer by response rate limiting. */
    public long rrlSlipped() {
        return rrlSlipped.sum();
    }

    /** Packets not answered because they were no query: responses (QR set) or shorter than a header. */
    public long unanswered() {
        return unanswered.sum();
    }

    /** AXFR and IXFR requests over TCP (allowed or refused). */
    public long transfers() {
        return transfers.sum();
    }
}
