package org.paxosdns.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * Seeded fuzzing of the decoder and responder: random packets and mutations of real queries.
 * No exception may escape, and every reply must parse back and fit the transport's limit.
 */
class FuzzTest {
    private static final long seed = 0x5EEDL;
    private static final int rounds = 30_000;

    @Test
    void randomAndMutatedPacketsGetWellFormedRepliesOrNone() throws Exception {
        ZoneTable zones = TestZones.conformanceZones();
        QueryProcessor processor = new QueryProcessor(new Responder(ResponderConfig.defaults(), () -> 7), zones, 10_000);
        List<byte[]> seeds = seedQueries();
        SplittableRandom random = new SplittableRandom(seed);
        int answered = 0;
        for (int i = 0; i < rounds; i++) {
            byte[] packet = i % 4 == 0 ? randomPacket(random) : mutate(seeds.get(random.nextInt(seeds.size())), random);
            boolean tcp = random.nextInt(8) == 0;
            byte[] reply = processor.process(packet, tcp);
            if (reply == null) {
                continue;
            }
            answered++;
            Message parsed = new Message(reply);
            assertEquals(((packet[0] & 0xFF) << 8) | (packet[1] & 0xFF), parsed.getHeader().getID());
            assertTrue(reply.length <= (tcp ? 65535 : 1232), "reply of " + reply.length + " bytes");
        }
        assertTrue(answered > rounds / 2, "most fuzzed packets still look like queries: " + answered);
    }

    private static List<byte[]> seedQueries() {
        List<byte[]> seeds = new ArrayList<>();
        String[] names = {"www.conf.example.", "below.sub.conf.example.", "qq.wild.conf.example.", "deleg.conf.example.",
            "many.conf.example.", "nx.second.example.", "example.org."};
        int[] types = {Type.A, Type.ANY, Type.MX, Type.TXT, Type.DS};
        for (String name : names) {
            for (int type : types) {
                seeds.add(DnsClient.query(name, type, null).toWire());
                seeds.add(DnsClient.query(name, type, 1232).toWire());
            }
        }
        return seeds;
    }

    private static byte[] randomPacket(SplittableRandom random) {
        byte[] packet = new byte[random.nextInt(12, 300)];
        random.nextBytes(packet);
        packet[2] &= 0x7F;
        return packet;
    }

    private static byte[] mutate(byte[] query, SplittableRandom random) {
        byte[] packet = query.clone();
        int flips = random.nextInt(1, 6);
        for (int i = 0; i < flips; i++) {
            packet[random.nextInt(packet.length)] = (byte) random.nextInt(256);
        }
        if (random.nextInt(4) == 0) {
            packet = java.util.Arrays.copyOf(packet, random.nextInt(12, packet.length + 20));
        }
        packet[2] &= 0x7F;
        return packet;
    }
}
