package org.paxosdns.server.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.paxosdns.identity.Roster;
import org.paxosdns.server.config.ClusterInit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code paxosdns cluster init}: writes a new cluster's roster, node configurations and keys. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Cluster administration.",
        subcommands = ClusterCommand.Init.class)
public final class ClusterCommand {
    /** {@code cluster init --nodes N --dir DIR}. */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Write DIR/cluster.json, DIR/nodeI/node.conf with keys, and DIR/commander/commander.key.")
    public static final class Init implements Callable<Integer> {
        @Option(names = "--nodes", defaultValue = "3", description = "Number of servers (default ${DEFAULT-VALUE}).")
        int nodes;

        @Option(names = "--dir", required = true, description = "Directory to create the cluster in.")
        Path dir;

        @Option(names = "--base-port", defaultValue = "5300",
                description = "Node i listens on base+10i (DNS), +1 (peers), +2 (commanders), +3 (ops). Default ${DEFAULT-VALUE}.")
        int basePort;

        @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address every node listens on.")
        String host;

        @Option(names = "--bits", defaultValue = "3072", description = "RSA modulus size (default ${DEFAULT-VALUE}).")
        int bits;

        @Override
        public Integer call() throws Exception {
            Roster roster = ClusterInit.run(dir, nodes, host, basePort, bits);
            System.out.println("cluster " + roster.clusterIdHex() + " with " + nodes + " nodes in " + dir);
            return 0;
        }
    }
}
