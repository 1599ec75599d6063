package org.paxosdns.server.client;

import org.paxosdns.proto.CommandReply;

/**
 * How a publish or delete ended, as the command line reports it: done (exit 0), refused with a
 * reason (exit 1), or outcome unknown after every server was tried (exit 2).
 */
public sealed interface PublishOutcome {
    int exitCode();

    /** The cluster executed the command (or had already: the cached reply). */
    record Done(CommandReply reply) implements PublishOutcome {
        public int exitCode() {
            return 0;
        }
    }

    /** The cluster refused the command; nothing changed. */
    record Refused(String reason, CommandReply reply) implements PublishOutcome {
        public int exitCode() {
            return 1;
        }
    }

    /** No server gave a definite answer; the command may or may not have been executed. */
    record Unknown(String reason) implements PublishOutcome {
        public int exitCode() {
            return 2;
        }
    }
}
