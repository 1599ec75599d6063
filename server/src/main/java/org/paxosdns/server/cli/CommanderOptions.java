package org.paxosdns.server.cli;

import java.nio.file.Path;
import org.paxosdns.identity.CommanderKey;
import org.paxosdns.identity.IdentityException;
import org.paxosdns.identity.Roster;
import org.paxosdns.identity.RosterFile;
import org.paxosdns.server.client.Commander;
import picocli.CommandLine.Option;

/** The options every commander command shares: the roster, the key, the per-request timeout. */
final class CommanderOptions {
    @Option(names = "--cluster", required = true, description = "The cluster.json roster.")
    Path cluster;

    @Option(names = "--key", required = true, description = "The commander's private key (commander.key).")
    Path key;

    @Option(names = "--timeout-ms", defaultValue = "10000", description = "Per-request timeout (default ${DEFAULT-VALUE}).")
    int timeoutMs;

    /** A commander for this roster and key. */
    Commander commander() throws IdentityException {
        Roster roster = RosterFile.read(cluster);
        return new Commander(roster, CommanderKey.load(key, roster), timeoutMs);
    }
}
