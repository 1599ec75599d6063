package org.paxosdns.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.paxosdns.server.config.NodeConfig;
import org.paxosdns.server.node.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code paxosdns serve --config FILE}: runs one node until SIGTERM or SIGINT. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run one node of a cluster.")
public final class ServeCommand implements Callable<Integer> {
    /** Exit code of a node that stopped on a fatal storage error. */
    static final int EXIT_FATAL = 70;

    @Option(names = "--config", required = true, description = "The node's node.conf.")
    Path configFile;

    @Option(names = "--exit-on-stdin-eof", hidden = true,
            description = "Exit when standard input closes: a child of demo or chaos dies with its parent.")
    boolean exitOnStdinEof;

    @Override
    public Integer call() throws Exception {
        NodeConfig config = NodeConfig.read(configFile);
        Logging.oneLinePerEvent(config.name());
        Node node = Node.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "shutdown"));
        node.fatal().whenComplete((v, failure) -> new Thread(() -> System.exit(EXIT_FATAL), "fatal-exit").start());
        if (exitOnStdinEof) {
            Thread watcher = new Thread(() -> {
                drain(System.in);
                System.exit(0);
            }, "stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        stopped.await();
        return 0;
    }

    private static void drain(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the parent writes nothing; we only wait for the pipe to close
            }
        } catch (IOException ignored) {
            // a broken pipe means the parent is gone, the same as end of file
        }
    }
}
