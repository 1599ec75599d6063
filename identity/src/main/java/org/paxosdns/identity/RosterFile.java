package org.paxosdns.identity;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code cluster.json}: the roster as a human-editable JSON document with a format version.
 * Keys are base64 DER (X.509 SubjectPublicKeyInfo); addresses are {@code host:port}.
 */
public final class RosterFile {
    /** The format version this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** Largest roster file read, in bytes. */
    public static final int ROSTER_BYTES_MAX = 4 * 1024 * 1024;

    private RosterFile() {}

    public static Roster read(Path file) throws IdentityException {
        try {
            if (Files.size(file) > ROSTER_BYTES_MAX) {
                throw new IdentityException(file + ": larger than " + ROSTER_BYTES_MAX + " bytes");
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IdentityException(file + ": cannot read: " + e, e);
        } catch (IdentityException e) {
            throw new IdentityException(file + ": " + e.getMessage(), e);
        }
    }

    public static void write(Path file, Roster roster) throws IOException {
        Files.writeString(file, toJson(roster), StandardCharsets.UTF_8);
    }

    /** Parses the JSON text of a roster. */
    public static Roster parse(String json) throws IdentityException {
        try {
            JsonObject root = JsonParser.parseString(json).getAsJsonObject();
            int version = intField(root, "version");
            if (version != FORMAT_VERSION) {
                throw new IdentityException("roster format version " + version + " is not supported (expected " + FORMAT_VERSION + ")");
            }
            List<ServerEntry> servers = new ArrayList<>();
            for (JsonElement e : array(root, "servers")) {
                servers.add(server(e.getAsJsonObject()));
            }
            List<CommanderEntry> commanders = new ArrayList<>();
            for (JsonElement e : array(root, "commanders")) {
                commanders.add(commander(e.getAsJsonObject()));
            }
            return new Roster(servers, commanders);
        } catch (JsonParseException | IllegalStateException | IllegalArgumentException | UnsupportedOperationException e) {
            throw new IdentityException("malformed roster: " + e.getMessage(), e);
        }
    }

    /** The JSON text of a roster. */
    public static String toJson(Roster roster) {
        JsonObject root = new JsonObject();
        root.addProperty("version", FORMAT_VERSION);
        root.addProperty("clusterId", roster.clusterIdHex());
        JsonArray servers = new JsonArray();
        for (ServerEntry s : roster.servers()) {
            JsonObject o = new JsonObject();
            o.addProperty("name", s.name());
            o.addProperty("index", s.index());
            o.addProperty("nodeId", s.nodeId().toHex());
            o.addProperty("sigPubKey", b64(s.signingKey()));
            o.addProperty("commsPubKey", b64(s.commsKey()));
            o.addProperty("peer", s.peer().toString());
            o.addProperty("commander", s.commander().toString());
            o.addProperty("ops", s.ops().toString());
            o.addProperty("dns", s.dns().toString());
            servers.add(o);
        }
        root.add("servers", servers);
        JsonArray commanders = new JsonArray();
        for (CommanderEntry c : roster.commanders()) {
            JsonObject o = new JsonObject();
            o.addProperty("id", c.id());
            o.addProperty("sigPubKey", b64(c.signingKey()));
            JsonArray zones = new JsonArray();
            c.zoneSuffixes().forEach(zones::add);
            o.add("zones", zones);
            commanders.add(o);
        }
        root.add("commanders", commanders);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
    }

    private static ServerEntry server(JsonObject o) throws IdentityException {
        String name = string(o, "name");
        PublicKey sig = key(o, "sigPubKey", name);
        NodeId stated = NodeId.fromHex(string(o, "nodeId"));
        return new ServerEntry(name, intField(o, "index"), stated, sig, key(o, "commsPubKey", name),
                HostPort.parse(string(o, "peer")), HostPort.parse(string(o, "commander")),
                HostPort.parse(string(o, "ops")), HostPort.parse(string(o, "dns")));
    }

    private static CommanderEntry commander(JsonObject o) throws IdentityException {
        String id = string(o, "id");
        List<String> zones = new ArrayList<>();
        for (JsonElement z : array(o, "zones")) {
            zones.add(z.getAsString());
        }
        return new CommanderEntry(id, key(o, "sigPubKey", id), zones);
    }

    private static PublicKey key(JsonObject o, String field, String owner) throws IdentityException {
        try {
            return Keys.publicFromDer(Base64.getDecoder().decode(string(o, field)));
        } catch (IllegalArgumentException e) {
            throw new IdentityException("'" + owner + "'." + field + " is not base64", e);
        } catch (IdentityException e) {
            throw new IdentityException("'" + owner + "'." + field + ": " + e.getMessage(), e);
        }
    }

    private static String b64(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    private static JsonElement field(JsonObject o, String name) throws IdentityException {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            throw new IdentityException("missing field '" + name + "'");
        }
        return e;
    }

    private static String string(JsonObject o, String name) throws IdentityException {
        return field(o, name).getAsString();
    }

    private static int intField(JsonObject o, String name) throws IdentityException {
        return field(o, name).getAsInt();
    }

    private static JsonArray array(JsonObject o, String name) throws IdentityException {
        return field(o, name).getAsJsonArray();
    }
}
