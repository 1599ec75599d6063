package org.paxosdns.identity;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;

/**
 * A server's private identity: its signing pair (whose public half defines the node ID) and its
 * comms pair (to which peers encrypt their handshake key shares).
 */
public record ServerKeys(KeyPair signing, KeyPair comms) {
    /** File names inside a node's key directory. */
    public static final String SIGNING_FILE = "sign.key";
    public static final String COMMS_FILE = "comms.key";

    public NodeId nodeId() {
        return NodeId.of(signing.getPublic());
    }

    /** Generates both pairs (about two seconds for RSA-3072). */
    public static ServerKeys generate(int bits) {
        return new ServerKeys(Keys.generate(bits), Keys.generate(bits));
    }

    /** Loads {@code sign.key} and {@code comms.key} (owner-only PEM) from {@code dir}. */
    public static ServerKeys load(Path dir) throws IdentityException {
        return new ServerKeys(KeyFiles.readPair(dir.resolve(SIGNING_FILE)), KeyFiles.readPair(dir.resolve(COMMS_FILE)));
    }

    /** Writes both private keys (mode 0600) and their public halves ({@code .pub}) into {@code dir}. */
    public void save(Path dir) throws IOException {
        KeyFiles.writePrivate(dir.resolve(SIGNING_FILE), signing.getPrivate());
        KeyFiles.writePublic(dir.resolve("sign.pub"), signing.getPublic());
        KeyFiles.writePrivate(dir.resolve(COMMS_FILE), comms.getPrivate());
        KeyFiles.writePublic(dir.resolve("comms.pub"), comms.getPublic());
    }

    /** Checks that these keys are the ones the roster lists for server {@code entry}. */
    public void checkAgainst(ServerEntry entry) throws IdentityException {
        if (!nodeId().equals(entry.nodeId()) || !Keys.matches(entry.signingKey(), signing.getPrivate())) {
            throw new IdentityException("the signing key is not the one the roster lists for '" + entry.name() + "'");
        }
        if (!Keys.matches(entry.commsKey(), comms.getPrivate())) {
            throw new IdentityException("the comms key is not the one the roster lists for '" + entry.name() + "'");
        }
    }
}
