package org.paxosdns.server.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node running as its own OS process ({@code paxosdns serve}). The child reads its standard
 * input until end of file and exits then, so it dies with whoever started it, even when that
 * parent is killed with SIGKILL. Signals let harnesses kill, pause and resume it for real.
 */
public final class NodeProcess implements AutoCloseable {
    /** How long a node gets to stop on SIGTERM before it is killed, in milliseconds. */
    public static final long STOP_GRACE_MS = 5_000;

    private final String name;
    private final Path config;
    private final Path log;
    private final List<String> javaOptions;
    private Process process;
    private OutputStream lifeline;

    public NodeProcess(String name, Path config, Path log, List<String> javaOptions) {
        this.name = name;
        this.config = config;
        this.log = log;
        this.javaOptions = List.copyOf(javaOptions);
    }

    /** Starts the node; its output is appended to the log file. */
    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(javaOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.paxosdns.server.Main");
        command.add("serve");
        command.add("--config");
        command.add(config.toString());
        command.add("--exit-on-stdin-eof");
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        lifeline = process.getOutputStream();
    }

    public String name() {
        return name;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** SIGKILL: no shutdown hooks, no flushing; what was not fsynced is gone. */
    public synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** SIGSTOP: the process freezes with its sockets open, as a stalled machine does. */
    public synchronized void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public synchronized void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    /** SIGTERM and a bounded wait, then SIGKILL. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        try {
            signal("CONT"); // a paused process cannot act on SIGTERM
        } catch (IOException ignored) {
            // the process is gone already
        }
        process.destroy();
        if (!process.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS);
        }
        try {
            lifeline.close();
        } catch (IOException ignored) {
            // the pipe's reader is gone: nothing to tell it
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void signal(String signal) throws IOException, InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        if (!kill.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed");
        }
    }
}
