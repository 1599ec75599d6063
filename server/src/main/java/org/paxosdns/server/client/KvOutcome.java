package org.paxosdns.server.client;

import org.paxosdns.proto.KvReply;

/** How one key-value operation ended as the client saw it. */
public sealed interface KvOutcome {
    /** The cluster answered: executed or read ({@link KvReply.Status#OK}), or another definite ruling. */
    record Answered(KvReply reply) implements KvOutcome {}

    /** Definitely not executed: every attempt was refused before anything was proposed. */
    record NotDone(String reason) implements KvOutcome {}

    /** No definite answer: it may have executed once, or not at all. */
    record Unknown(String reason) implements KvOutcome {}
}
