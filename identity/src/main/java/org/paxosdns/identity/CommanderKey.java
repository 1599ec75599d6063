package org.paxosdns.identity;

import java.nio.file.Path;
import java.security.KeyPair;

/** A commander's signing pair and the roster entry that names it and its rights. */
public record CommanderKey(CommanderEntry entry, KeyPair signing) {
    /** Loads a commander's private key file and finds the roster entry with its public half. */
    public static CommanderKey load(Path keyFile, Roster roster) throws IdentityException {
        KeyPair pair = KeyFiles.readPair(keyFile);
        for (CommanderEntry c : roster.commanders()) {
            if (Keys.matches(c.signingKey(), pair.getPrivate())) {
                return new CommanderKey(c, pair);
            }
        }
        throw new IdentityException(keyFile + ": no commander in the roster has this key");
    }

    public String id() {
        return entry.id();
    }
}
