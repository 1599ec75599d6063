package org.paxosdns.server;

/** The {@code paxosdns} command line: the one entry point of every node and tool. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.err.println("paxosdns: no commands yet");
        System.exit(2);
    }
}
