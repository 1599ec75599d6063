package org.paxosdns.server.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.paxosdns.identity.ZoneNames;
import org.paxosdns.zonestore.zone.MasterFileInput;
import org.xbill.DNS.Master;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/** Reading zone files on the commander's side: the bytes, and the zone's name from its SOA. */
public final class ZoneFiles {
    /** Largest zone file the tool reads, in bytes (the servers' own limit is the same). */
    public static final long ZONE_FILE_BYTES_MAX = org.paxosdns.zonestore.blob.BlobStoreLimits.BLOB_BYTES_MAX;

    private ZoneFiles() {}

    public static byte[] read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > ZONE_FILE_BYTES_MAX) {
            throw new IOException(file + ": " + size + " bytes, over the zone file limit of " + ZONE_FILE_BYTES_MAX);
        }
        return Files.readAllBytes(file);
    }

    /** A zone file's SOA as the commander needs it: the zone's name and the serial. */
    public record Soa(String fqdn, long serial) {}

    /** The zone's name: the owner of its SOA record, which needs $ORIGIN or an absolute owner. */
    public static String fqdn(Path file, byte[] content) throws IOException {
        return soa(file, content).fqdn();
    }

    /** The zone's first SOA record, read up to it only (the rest of the file is not parsed). */
    public static Soa soa(Path file, byte[] content) throws IOException {
        try (Master master = new Master(new MasterFileInput(content))) {
            Record record;
            while ((record = master.nextRecord()) != null) {
                if (record instanceof SOARecord soa) {
                    return new Soa(ZoneNames.normalize(soa.getName().toString()), soa.getSerial());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": cannot tell the zone's name (" + e.getMessage()
                    + "); start the file with $ORIGIN or give the SOA an absolute owner", e);
        }
        throw new IOException(file + ": no SOA record, so no zone name");
    }
}
