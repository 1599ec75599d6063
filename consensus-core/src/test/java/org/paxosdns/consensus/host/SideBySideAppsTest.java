package org.paxosdns.consensus.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paxosdns.consensus.PaxosCodec;
import org.paxosdns.consensus.PaxosCodecException;
import org.paxosdns.consensus.Role;

/** Two applications replicated side by side by the same three nodes, sharing data directories. */
class SideBySideAppsTest {
    private static final int size = 3;
    private static final int[] apps = {1, 2};

    @TempDir
    Path tmp;

    private final Replica[][] replicas = new Replica[apps.length][size];
    private final ListStateMachine[][] machines = new ListStateMachine[apps.length][size];

    /** A mesh stand-in: demultiplexes by the application index carried in every message. */
    private Transport meshFor(int from) {
        return (to, bytes) -> {
            try {
                int app = PaxosCodec.decode(bytes).appNdx();
                replicas[app - 1][to].onMessage(from, bytes);
            } catch (PaxosCodecException e) {
                throw new AssertionError(e);
            }
        };
    }

    @AfterEach
    void closeAll() {
        for (Replica[] row : replicas) {
            for (Replica r : row) {
                if (r != null) {
                    r.close();
                }
            }
        }
    }

    @Test
    void eachApplicationKeepsItsOwnLogAndState() throws Exception {
        for (int a = 0; a < apps.length; a++) {
            for (int i = 0; i < size; i++) {
                machines[a][i] = new ListStateMachine();
                ReplicaConfig cfg = new ReplicaConfig(apps[a], i, size, tmp.resolve("node" + i), 10, 2, 10, 20, 50, 31L * a + i, true);
                replicas[a][i] = Replica.open(cfg, machines[a][i], meshFor(i));
            }
        }
        for (Replica[] row : replicas) {
            for (Replica r : row) {
                r.start();
            }
        }
        for (int k = 0; k < 10; k++) {
            propose(0, "one-" + k);
            propose(1, "two-" + k);
        }
        for (int i = 0; i < size; i++) {
            int node = i;
            Await.until("both apps applied on node " + i,
                    () -> machines[0][node].applied().size() == 10 && machines[1][node].applied().size() == 10);
            assertEquals("one-9", machines[0][node].applied().get(9));
            assertEquals(List.copyOf(machines[1][0].applied()), machines[1][node].applied());
        }
    }

    private void propose(int app, String command) throws Exception {
        while (true) {
            Await.until("a leader for app " + apps[app], () -> replicas[app][0].status().leaderIndex() >= 0
                    && replicas[app][replicas[app][0].status().leaderIndex()].status().role() == Role.LEADER);
            try {
                replicas[app][0].propose(command.getBytes(StandardCharsets.UTF_8)).get(60, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof ProposalException)) {
                    throw e;
                }
            }
        }
    }
}
