package org.paxosdns.consensus;

/**
 * Deliberate protocol bugs the simulator's own tests switch on, to prove its checker catches them.
 * Never enabled outside those tests: the only way in is a package-private engine constructor.
 */
enum Fault {
    /** An acceptor restarts having forgotten the ballot it promised. */
    FORGET_PROMISE_ON_RESTART,
    /** A new leader proposes no-ops instead of adopting the highest-ballot accepted values. */
    SKIP_ADOPTING_ACCEPTED,
    /** A replica marks its accepted value chosen without checking the announced ballot. */
    APPLY_WITHOUT_BALLOT_CHECK
}
