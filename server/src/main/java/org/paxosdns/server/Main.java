package org.paxosdns.server;

import org.paxosdns.server.cli.BenchCommand;
import org.paxosdns.server.cli.ChaosCommand;
import org.paxosdns.server.cli.ClusterCommand;
import org.paxosdns.server.cli.KeygenCommand;
import org.paxosdns.server.cli.StatusCommand;
import org.paxosdns.server.cli.ServeCommand;
import org.paxosdns.server.cli.DemoCommand;
import org.paxosdns.server.cli.PublishCommand;
import org.paxosdns.server.cli.DeleteCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code paxosdns} command line: the one entry point of every node and tool. */
@Command(name = "paxosdns", mixinStandardHelpOptions = true, version = "paxosdns 0.1.0",
        description = "A consensus-backed authoritative DNS service.",
        subcommands = {KeygenCommand.class, ClusterCommand.class, ServeCommand.class, DemoCommand.class, PublishCommand.class,
                DeleteCommand.class, StatusCommand.class, ChaosCommand.class, BenchCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests and for {@link #main}). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
