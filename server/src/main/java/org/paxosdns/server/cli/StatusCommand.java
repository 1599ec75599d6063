package org.paxosdns.server.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.paxosdns.identity.Roster;
import org.paxosdns.identity.RosterFile;
import org.paxosdns.identity.ServerEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code paxosdns status}: each node's role, stateNdx, peers up and zones, read from its ops endpoint. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show every node's role, stateNdx, peers and zones.")
public final class StatusCommand implements Callable<Integer> {
    /** How long one node's ops endpoint may take to answer, in milliseconds. */
    public static final long OPS_TIMEOUT_MS = 2_000;

    @Option(names = "--cluster", required = true, description = "The cluster.json roster.")
    Path cluster;

    @Override
    public Integer call() throws Exception {
        Roster roster = RosterFile.read(cluster);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(OPS_TIMEOUT_MS)).build();
        System.out.printf("%-10s %-10s %-10s %-12s %-9s %s%n", "node", "role", "leader", "stateNdx", "peers-up", "zones");
        int unreachable = 0;
        for (ServerEntry s : roster.servers()) {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + s.ops() + "/v1/state"))
                        .timeout(Duration.ofMillis(OPS_TIMEOUT_MS)).build();
                JsonObject state = JsonParser.parseString(http.send(request, HttpResponse.BodyHandlers.ofString()).body())
                        .getAsJsonObject();
                long up = 0;
                for (JsonElement p : state.getAsJsonArray("peers")) {
                    up += p.getAsJsonObject().get("up").getAsBoolean() ? 1 : 0;
                }
                System.out.printf("%-10s %-10s %-10s %-12s %-9s %s%n", s.name(), state.get("role").getAsString(),
                        state.get("leader").getAsString(), state.get("stateNdx").getAsString(),
                        up + "/" + (roster.size() - 1), state.get("zones").getAsString());
            } catch (Exception e) {
                unreachable++;
                System.out.printf("%-10s %-10s (%s: %s)%n", s.name(), "down", s.ops(), e.getClass().getSimpleName());
            }
        }
        return unreachable == 0 ? 0 : 1;
    }
}
