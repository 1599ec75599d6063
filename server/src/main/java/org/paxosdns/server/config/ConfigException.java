package org.paxosdns.server.config;

/** A configuration file that cannot be used, with a message naming the file and the setting. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
