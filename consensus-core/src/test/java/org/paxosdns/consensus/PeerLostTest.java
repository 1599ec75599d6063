package org.paxosdns.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A follower told that its leader's connection is gone starts an election within two ticks, not after the timeout. */
final class PeerLostTest {
    private static final int NODES = 3;
    private static final int ELECTION_TICKS_MIN = 10;

    private final PaxosEngine[] engines = new PaxosEngine[NODES];

    PeerLostTest() {
        for (int i = 0; i < NODES; i++) {
            engines[i] = new PaxosEngine(new EngineConfig(1, i, NODES, 2, ELECTION_TICKS_MIN, 2 * ELECTION_TICKS_MIN, true),
                    DurableState.replay(null, List.of()), new Random(i));
        }
    }

    /** Delivers every message until no engine has anything to do. */
    private void settle() {
        boolean busy = true;
        while (busy) {
            busy = false;
            for (int from = 0; from < NODES; from++) {
                while (engines[from].hasReady()) {
                    busy = true;
                    Ready rd = engines[from].ready();
                    List<Ready.Outbound> out = new ArrayList<>(rd.sendNow());
                    out.addAll(rd.sendAfterPersist());
                    engines[from].advance(rd);
                    for (Ready.Outbound o : out) {
                        engines[o.to()].step(from, o.message());
                    }
                }
            }
        }
    }

    private int electLeader() {
        for (int t = 0; t < 20 * ELECTION_TICKS_MIN; t++) {
            for (PaxosEngine e : engines) {
                e.tick();
            }
            settle();
            for (int i = 0; i < NODES; i++) {
                if (engines[i].status().role() == Role.LEADER) {
                    return i;
                }
            }
        }
        throw new AssertionError("no leader elected");
    }

    @Test
    void losingTheLeadersConnectionStartsAnElectionAtOnce() {
        int leader = electLeader();
        int follower = (leader + 1) % NODES;
        assertEquals(leader, engines[follower].status().leaderIndex());
        engines[follower].peerLost((leader + 2) % NODES);
        engines[follower].tick();
        engines[follower].tick();
        assertEquals(Role.FOLLOWER, engines[follower].status().role(), "losing another follower changes nothing");
        int later = (leader + 2) % NODES;
        engines[follower].peerLost(leader);
        engines[later].peerLost(leader);
        engines[follower].tick();
        engines[later].tick();
        assertNotEquals(Role.FOLLOWER, engines[follower].status().role(), "the next index campaigns within a tick");
        assertEquals(Role.FOLLOWER, engines[later].status().role(), "the one after waits its turn, so they do not duel");
        assertTrue(engines[follower].status().leaderIndex() != leader, "the lost leader is no longer followed");
    }
}
