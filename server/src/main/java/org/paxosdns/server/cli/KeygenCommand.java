package org.paxosdns.server.cli;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import org.paxosdns.identity.KeyFiles;
import org.paxosdns.identity.Keys;
import org.paxosdns.identity.ServerKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code paxosdns keygen}: a server's two key pairs, or a commander's signing pair. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Generate a server's signing and comms keys, or a commander's signing key.")
public final class KeygenCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Directory for the key files.")
    Path out;

    @Option(names = "--commander", description = "Write one signing key, commander.key, instead of a server's two.")
    boolean commander;

    @Option(names = "--bits", defaultValue = "3072", description = "RSA modulus size (default ${DEFAULT-VALUE}).")
    int bits;

    @Override
    public Integer call() throws Exception {
        if (commander) {
            KeyPair pair = Keys.generate(bits);
            KeyFiles.writePrivate(out.resolve("commander.key"), pair.getPrivate());
            KeyFiles.writePublic(out.resolve("commander.pub"), pair.getPublic());
            System.out.println("wrote " + out.resolve("commander.key"));
        } else {
            ServerKeys keys = ServerKeys.generate(bits);
            keys.save(out);
            System.out.println("wrote " + out.resolve(ServerKeys.SIGNING_FILE) + " and " + out.resolve(ServerKeys.COMMS_FILE)
                    + " nodeId=" + keys.nodeId().toHex());
        }
        return 0;
    }
}
