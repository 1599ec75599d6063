package org.paxosdns.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class OpsHttpServerTest {
    private final Metrics metrics = new Metrics();
    private volatile boolean healthy = true;
    private OpsHttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws InterruptedException {
        ZoneInfo zone = new ZoneInfo("example.test.", "ab", 7, 3, "ci", "ab", true);
        metrics.counter("paxosdns_dns_queries_total", "Queries.", "rcode=\"NOERROR\"").add(5);
        metrics.gauge("paxosdns_state_ndx", "State.", "", () -> -1L);
        server = OpsHttpServer.start(new InetSocketAddress("127.0.0.1", 0), new OpsSource() {
            @Override
            public NodeStatus status() {
                return new NodeStatus("node0", "leader", "node0", "00ff", -1L,
                        List.of(new NodeStatus.Peer("node1", true)), List.of(new NodeStatus.App(1, -1L, "d1", "node0")), 1, healthy);
            }

            @Override
            public List<ZoneInfo> zones() {
                return List.of(zone);
            }

            @Override
            public Optional<ZoneInfo> zone(String fqdn) {
                return fqdn.equals(zone.fqdn()) ? Optional.of(zone) : Optional.empty();
            }

            @Override
            public Metrics metrics() {
                return metrics;
            }
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void stateHasEveryFieldWithUnsigned64BitCountersAsDecimalStrings() throws Exception {
        HttpResponse<String> r = get("/v1/state");
        assertEquals(200, r.statusCode());
        JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();
        assertEquals("18446744073709551615", o.get("stateNdx").getAsString());
        assertEquals("leader", o.get("role").getAsString());
        assertEquals("node0", o.get("leader").getAsString());
        assertEquals("node0", o.get("node").getAsString());
        assertEquals("00ff", o.get("clusterId").getAsString());
        assertEquals("node1", o.getAsJsonArray("peers").get(0).getAsJsonObject().get("name").getAsString());
        assertEquals(1, o.getAsJsonArray("apps").get(0).getAsJsonObject().get("appNdx").getAsInt());
        assertEquals("18446744073709551615", o.getAsJsonArray("apps").get(0).getAsJsonObject().get("stateNdx").getAsString());
        assertEquals(1, o.get("zones").getAsInt());
    }

    @Test
    void zonesAreListedAndLookedUpByNormalizedName() throws Exception {
        assertTrue(get("/v1/zones").body().contains("\"example.test.\""));
        HttpResponse<String> one = get("/v1/zones/EXAMPLE.test");
        assertEquals(200, one.statusCode());
        assertEquals("7", JsonParser.parseString(one.body()).getAsJsonObject().get("soaSerial").getAsString());
        assertEquals(404, get("/v1/zones/other.test.").statusCode());
        assertEquals(400, get("/v1/zones/a..b").statusCode());
        assertEquals(404, get("/nothing").statusCode());
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        String body = get("/metrics").body();
        assertTrue(body.contains("# TYPE paxosdns_dns_queries_total counter\n"), body);
        assertTrue(body.contains("paxosdns_dns_queries_total{rcode=\"NOERROR\"} 5\n"), body);
        assertTrue(body.contains("paxosdns_state_ndx 18446744073709551615\n"), body);
    }

    @Test
    void healthzFollowsHealth() throws Exception {
        assertEquals(200, get("/healthz").statusCode());
        healthy = false;
        assertEquals(503, get("/healthz").statusCode());
    }

    @Test
    void onlyGetIsAllowed() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/state"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
    }
}
