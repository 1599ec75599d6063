package org.paxosdns.server.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.paxosdns.identity.CommanderKey;
import org.paxosdns.identity.Roster;
import org.paxosdns.identity.RosterFile;
import org.paxosdns.server.client.Commander;
import org.paxosdns.server.client.SeqFile;
import org.paxosdns.zonestore.command.CommandBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code paxosdns delete}: one atomic command that stops serving every given zone. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete zones in one atomic command. Exit 0 done, 1 refused, 2 outcome unknown.")
public final class DeleteCommand implements Callable<Integer> {
    @Option(names = "--cluster", required = true, description = "The cluster.json roster.")
    Path cluster;

    @Option(names = "--key", required = true, description = "The commander's private key (commander.key).")
    Path key;

    @Option(names = "--timeout-ms", defaultValue = "10000", description = "Per-request timeout (default ${DEFAULT-VALUE}).")
    int timeoutMs;

    @Parameters(arity = "1..*", paramLabel = "FQDN", description = "Zones to delete.")
    List<String> zones;

    @Override
    public Integer call() throws Exception {
        Roster roster = RosterFile.read(cluster);
        Commander commander = new Commander(roster, CommanderKey.load(key, roster), timeoutMs);
        CommandBuilder builder = commander.builder();
        zones.forEach(builder::deleteZone);
        return PublishCommand.report(commander.execute(Map.of(), builder.sign(new SeqFile(key).next())), "deleted");
    }
}
