package org.paxosdns.dns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Loads zone files from the test resources (zone-store does this in production). */
public final class TestZones {
    private TestZones() {
    }

    /** The zone {@code origin} parsed from {@code text}, versioned by its SHA3-256. */
    public static ZoneContent parse(String origin, byte[] text) {
        Name name = Name.fromConstantString(origin);
        ZoneContentBuilder builder = ZoneContent.builder(name, sha3(text));
        try (Master master = new Master(new ByteArrayInputStream(text), name)) {
            for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
                builder.add(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return builder.build();
    }

    /** A zone from a classpath resource. */
    public static ZoneContent resource(String origin, String path) {
        try (InputStream in = TestZones.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return parse(origin, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The table serving the two conformance zones. */
    public static ZoneTable conformanceZones() {
        ZoneTable table = new ZoneTable();
        table.put(resource("conf.example.", "/conformance/conf.example.zone"));
        table.put(resource("second.example.", "/conformance/second.example.zone"));
        return table;
    }

    static String sha3(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA3-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
