package org.paxosdns.server.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.time.Instant;

/** One log line per event, each with the node's name, on standard error. */
final class Logging {
    private Logging() {}

    static void oneLinePerEvent(String node) {
        LogManager.getLogManager().reset();
        ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(Level.INFO);
        handler.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                String message = formatMessage(r).replace('\n', ' ');
                String thrown = r.getThrown() == null ? "" : " | " + r.getThrown();
                return Instant.ofEpochMilli(r.getMillis()) + " " + node + " " + r.getLevel() + " "
                        + shortName(r.getLoggerName()) + ": " + message + thrown + "\n";
            }
        });
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        root.addHandler(handler);
    }

    private static String shortName(String logger) {
        return logger == null ? "" : logger.substring(logger.lastIndexOf('.') + 1);
    }
}
