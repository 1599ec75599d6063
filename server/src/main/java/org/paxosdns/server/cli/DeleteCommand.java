package org.paxosdns.server.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.paxosdns.server.client.Commander;
import org.paxosdns.server.client.SeqFile;
import org.paxosdns.zonestore.command.CommandBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code paxosdns delete}: one atomic command that stops serving every given zone. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete zones in one atomic command. Exit 0 done, 1 refused, 2 outcome unknown.")
public final class DeleteCommand implements Callable<Integer> {
    @Mixin
    CommanderOptions options;

    @Parameters(arity = "1..*", paramLabel = "FQDN", description = "Zones to delete.")
    List<String> zones;

    @Override
    public Integer call() throws Exception {
        Commander commander = options.commander();
        CommandBuilder builder = commander.builder();
        zones.forEach(builder::deleteZone);
        return PublishCommand.report(commander.execute(Map.of(), builder.sign(new SeqFile(options.key).next())), "deleted");
    }
}
