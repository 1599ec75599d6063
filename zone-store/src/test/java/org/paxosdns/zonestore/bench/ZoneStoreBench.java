package org.paxosdns.zonestore.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.paxosdns.zonestore.ZoneFixtures;
import org.paxosdns.zonestore.blob.BlobStore;
import org.paxosdns.zonestore.blob.BlobStoreLimits;
import org.paxosdns.zonestore.state.ZoneStateMachine;
import org.paxosdns.zonestore.zone.ZoneCheck;
import org.paxosdns.zonestore.zone.ZoneLimits;
import org.paxosdns.zonestore.zone.ZoneValidator;

/**
 * Prints what the zone store costs on this machine: apply rate against maps of several sizes
 * (each applied command copies the zone map), parse time of a large zone, durable blob puts.
 * Run with zone-store/bench/run.sh; not part of {@code mvn verify}.
 */
public final class ZoneStoreBench {
    private ZoneStoreBench() {}

    public static void main(String[] args) throws Exception {
        for (int zones : new int[] {1_000, 10_000, 100_000}) {
            applyRate(zones);
        }
        parseLargeZone(100_000);
        blobPuts(200, 4096);
    }

    private static void applyRate(int zones) {
        ZoneStateMachine machine = new ZoneStateMachine(ZoneFixtures.ROSTER);
        long seq = 1;
        for (int i = 0; i < zones; i++) {
            machine.applyCommand(ZoneFixtures.put("alice", seq++, "z" + i + ".example.com.", 1));
        }
        int commands = 5_000;
        Random random = new Random(1);
        for (int round = 1; round <= 3; round++) {
            byte[][] batch = new byte[commands][];
            for (int i = 0; i < commands; i++) {
                batch[i] = ZoneFixtures.put("alice", seq++, "z" + random.nextInt(zones) + ".example.com.",
                        round * commands + i + 2);
            }
            long start = System.nanoTime();
            for (byte[] command : batch) {
                machine.applyCommand(command);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("apply round %d: %,d zones in the map: %,.0f commands/s (%.1f us each)%n",
                    round, zones, commands / seconds, seconds * 1e6 / commands);
        }
    }

    private static void parseLargeZone(int names) {
        StringBuilder text = new StringBuilder("$TTL 3600\n@ IN SOA ns1 hm 1 7200 3600 1209600 300\n@ IN NS ns1\n");
        for (int i = 0; i < names; i++) {
            text.append("host").append(i).append(" IN A 10.").append(i >> 16 & 255).append('.')
                    .append(i >> 8 & 255).append('.').append(i & 255).append('\n');
        }
        byte[] zone = text.toString().getBytes(UTF_8);
        ZoneValidator validator = new ZoneValidator(ZoneLimits.DEFAULT);
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            ZoneCheck check = validator.parse("example.com.", zone);
            double ms = (System.nanoTime() - start) / 1e6;
            System.out.printf("parse: %,d-name zone (%,d bytes): %.0f ms, valid=%s%n", names, zone.length, ms,
                    check.isValid());
        }
    }

    private static void blobPuts(int count, int bytes) throws Exception {
        Path dir = Files.createTempDirectory("blobbench");
        BlobStore store = BlobStore.open(dir, BlobStoreLimits.DEFAULT, System::currentTimeMillis);
        Random random = new Random(2);
        long[] micros = new long[count];
        for (int i = 0; i < count; i++) {
            byte[] content = new byte[bytes];
            random.nextBytes(content);
            long start = System.nanoTime();
            store.put(content);
            micros[i] = (System.nanoTime() - start) / 1_000;
        }
        Arrays.sort(micros);
        System.out.printf("blob put (%d bytes, fsync+rename+dir fsync): p50 %d us, p99 %d us%n", bytes,
                micros[count / 2], micros[count * 99 / 100]);
    }
}
