package org.paxosdns.server.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.paxosdns.proto.ZoneResult;
import org.paxosdns.server.client.Commander;
import org.paxosdns.server.client.PublishOutcome;
import org.paxosdns.server.client.SeqFile;
import org.paxosdns.server.client.ZoneFiles;
import org.paxosdns.zonestore.blob.ContentHash;
import org.paxosdns.zonestore.command.CommandBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code paxosdns publish}: one atomic command that publishes every given zone file. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publish zone files in one atomic command. Exit 0 done, 1 refused, 2 outcome unknown.")
public final class PublishCommand implements Callable<Integer> {
    /**
     * Zone files up to this size are checked here before anything is sent, for an error without a
     * round trip; larger ones only by the server, which checks every file anyway (with line
     * numbers in its refusal): a second full parse here would double a big publish's time.
     */
    static final long LOCAL_CHECK_BYTES_MAX = 4L << 20;

    @Mixin
    CommanderOptions options;

    @Parameters(arity = "1..*", paramLabel = "ZONEFILE", description = "Zone files; each zone's name is its SOA owner.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        Commander commander = options.commander();
        CommandBuilder builder = commander.builder();
        Map<String, byte[]> uploads = new LinkedHashMap<>();
        for (Path file : files) {
            byte[] content = ZoneFiles.read(file);
            ZoneFiles.Soa soa = ZoneFiles.soa(file, content);
            String fqdn = soa.fqdn();
            try {
                if (content.length <= LOCAL_CHECK_BYTES_MAX) {
                    builder.putZoneFile(fqdn, content);
                } else {
                    builder.putZone(fqdn, ContentHash.of(content), soa.serial());
                }
            } catch (IllegalArgumentException e) {
                System.err.println("refused: " + file + ": " + e.getMessage());
                return 1;
            }
            uploads.put(fqdn, content);
        }
        PublishOutcome outcome = commander.execute(uploads, builder.sign(new SeqFile(options.key).next()));
        return report(outcome, "published");
    }

    static int report(PublishOutcome outcome, String verb) {
        if (outcome instanceof PublishOutcome.Done done) {
            for (ZoneResult z : done.reply().getResultsList()) {
                String hash = z.getContentHash().isEmpty() ? ""
                        : " hash=" + java.util.HexFormat.of().formatHex(z.getContentHash().toByteArray());
                System.out.println(verb + " " + z.getFqdn() + hash + " stateNdx=" + Long.toUnsignedString(done.reply().getStateNdx()));
            }
        } else if (outcome instanceof PublishOutcome.Refused refused) {
            System.err.println("refused: " + refused.reason());
        } else if (outcome instanceof PublishOutcome.Unknown unknown) {
            System.err.println("outcome unknown: " + unknown.reason());
        }
        return outcome.exitCode();
    }
}
