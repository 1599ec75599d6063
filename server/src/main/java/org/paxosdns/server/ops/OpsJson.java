package org.paxosdns.server.ops;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;

/** JSON renderings of the ops endpoint; 64-bit counters are decimal strings, as etcd writes them. */
final class OpsJson {
    private OpsJson() {}

    static String state(NodeStatus s) {
        JsonObject o = new JsonObject();
        o.addProperty("stateNdx", Long.toUnsignedString(s.stateNdx()));
        o.addProperty("role", s.role());
        o.addProperty("leader", s.leader());
        o.addProperty("node", s.node());
        o.addProperty("clusterId", s.clusterId());
        JsonArray peers = new JsonArray();
        for (NodeStatus.Peer p : s.peers()) {
            JsonObject po = new JsonObject();
            po.addProperty("name", p.name());
            po.addProperty("up", p.up());
            peers.add(po);
        }
        o.add("peers", peers);
        JsonArray apps = new JsonArray();
        for (NodeStatus.App a : s.apps()) {
            JsonObject ao = new JsonObject();
            ao.addProperty("appNdx", a.appNdx());
            ao.addProperty("stateNdx", Long.toUnsignedString(a.stateNdx()));
            ao.addProperty("digest", a.digest());
            ao.addProperty("leader", a.leader());
            apps.add(ao);
        }
        o.add("apps", apps);
        o.addProperty("zones", s.zones());
        return render(o);
    }

    static String zones(List<ZoneInfo> zones) {
        JsonArray array = new JsonArray();
        zones.forEach(z -> array.add(zoneObject(z)));
        JsonObject o = new JsonObject();
        o.add("zones", array);
        return render(o);
    }

    static String zone(ZoneInfo z) {
        return render(zoneObject(z));
    }

    static String error(String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        return render(o);
    }

    private static JsonObject zoneObject(ZoneInfo z) {
        JsonObject o = new JsonObject();
        o.addProperty("fqdn", z.fqdn());
        o.addProperty("hash", z.hash());
        o.addProperty("soaSerial", Long.toUnsignedString(z.soaSerial()));
        o.addProperty("stateNdx", Long.toUnsignedString(z.stateNdx()));
        o.addProperty("commanderId", z.commanderId());
        o.addProperty("servedHash", z.servedHash());
        o.addProperty("served", z.served());
        return o;
    }

    private static String render(JsonObject o) {
        return new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create().toJson(o) + "\n";
    }
}
