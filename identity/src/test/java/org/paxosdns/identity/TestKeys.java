package org.paxosdns.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Pre-generated RSA-3072 fixtures for tests (generating one costs about a second): five
 * servers and three commanders. Shared with the other modules through identity's test-jar.
 */
public final class TestKeys {
    /** How many server and commander fixtures exist. */
    public static final int SERVERS = 5;
    public static final int COMMANDERS = 3;

    private static final ServerKeys[] SERVER_KEYS = new ServerKeys[SERVERS];
    private static final KeyPair[] COMMANDER_KEYS = new KeyPair[COMMANDERS];

    private TestKeys() {}

    /** The keys of fixture server {@code i} (0..4). */
    public static synchronized ServerKeys server(int i) {
        if (SERVER_KEYS[i] == null) {
            SERVER_KEYS[i] = new ServerKeys(pair("server" + i + "-sign.key"), pair("server" + i + "-comms.key"));
        }
        return SERVER_KEYS[i];
    }

    /** The signing pair of fixture commander {@code i} (0..2). */
    public static synchronized KeyPair commander(int i) {
        if (COMMANDER_KEYS[i] == null) {
            COMMANDER_KEYS[i] = pair("commander" + i + ".key");
        }
        return COMMANDER_KEYS[i];
    }

    /** A roster of {@code n} fixture servers named node0.. and the given commanders. */
    public static Roster roster(int n, IntFunction<HostPort> peerAddress, List<CommanderEntry> commanders) {
        List<ServerEntry> servers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ServerKeys keys = server(i);
            HostPort peer = peerAddress.apply(i);
            HostPort other = new HostPort("127.0.0.1", 1);
            servers.add(new ServerEntry("node" + i, i, keys.nodeId(), keys.signing().getPublic(),
                    keys.comms().getPublic(), peer, other, other, other));
        }
        try {
            return new Roster(servers, commanders);
        } catch (IdentityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A roster of {@code n} fixture servers and commander0 allowed every zone. */
    public static Roster roster(int n, IntFunction<HostPort> peerAddress) {
        return roster(n, peerAddress, List.of(new CommanderEntry("commander0", commander(0).getPublic(), List.of("."))));
    }

    private static KeyPair pair(String resource) {
        try (InputStream in = TestKeys.class.getResourceAsStream("fixtures/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + resource);
            }
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return Keys.pairOf(Keys.privateFromDer(KeyFiles.fromPem(resource, pem, "PRIVATE KEY")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IdentityException e) {
            throw new IllegalStateException(e);
        }
    }
}
