package org.paxosdns.consensus;

/** What an engine is doing in the election protocol. */
public enum Role {
    FOLLOWER, PRE_CANDIDATE, CANDIDATE, LEADER
}
