package org.paxosdns.comms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.paxosdns.identity.HostPort;
import org.paxosdns.identity.Roster;
import org.paxosdns.identity.TestKeys;
import org.paxosdns.proto.AppMsg;
import org.paxosdns.proto.Finished;
import org.paxosdns.proto.KeepAlive;
import org.paxosdns.proto.PeerFrame;
import org.paxosdns.proto.SessionMessage;
import org.paxosdns.proto.SessionRecord;

/**
 * Seeded property test of the inbound path (frame decoder, handshake, record layer): random
 * and mutated frames, fed in random chunks to a real node's connection handler on an embedded
 * channel. Whatever arrives, no exception escapes the pipeline, nothing hangs, and every
 * connection the node gives up on ends with an Error frame.
 */
class FrameFuzzTest {
    private static final long SEED = 0x5eed_c0ffeeL;
    private static final int HANDSHAKE_CASES = 2_000;
    private static final int SESSION_CASES = 80;

    private static Roster roster;
    private static Mesh node2;

    @BeforeAll
    static void start() throws Exception {
        roster = TestKeys.roster(3, i -> new HostPort("127.0.0.1", 1));
        // node2 dials nobody; the fuzzer plays node0 and strangers.
        node2 = Mesh.start(MeshConfig.defaults(roster, 2, TestKeys.server(2), new InetSocketAddress("127.0.0.1", 0))
                .withHandshakeRate(1e9, 1_000_000));
    }

    @AfterAll
    static void stop() {
        node2.close();
    }

    private static EmbeddedChannel connection() {
        FrameDecoder decoder = new FrameDecoder();
        return new EmbeddedChannel(decoder, new PeerConnection(node2, decoder, null));
    }

    @Test
    void handshakePhaseSurvivesRandomAndMutatedFrames() {
        Random random = new Random(SEED);
        List<byte[]> corpus = handshakeCorpus();
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            for (int i = 0; i < HANDSHAKE_CASES; i++) {
                byte[] input = mutate(random, corpus.get(random.nextInt(corpus.size())), corpus);
                EmbeddedChannel channel = connection();
                long peerErrors = node2.stats().errorsFromPeers();
                feed(random, channel, input);
                checkOutcome(channel, "case " + i, node2.stats().errorsFromPeers() > peerErrors);
            }
        });
    }

    @Test
    void sessionPhaseSurvivesMutatedRecords() {
        Random random = new Random(SEED + 1);
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            for (int i = 0; i < SESSION_CASES; i++) {
                EmbeddedChannel channel = connection();
                Session session = handshake(channel);
                assertTrue(node2.isUp(0), "case " + i + ": the fuzzer's session is confirmed");
                byte[] plain = sessionRecord(random).toByteArray();
                byte[] frame = random.nextBoolean()
                        ? frameOf(WireFormat.frame().setSealed(session.sealer.sealPlaintext(mutate(random, plain, List.of(plain)))).build())
                        : mutate(random, frameOf(WireFormat.frame().setSealed(session.sealer.sealPlaintext(plain)).build()), List.of());
                long peerErrors = node2.stats().errorsFromPeers();
                feed(random, channel, frame);
                checkOutcome(channel, "session case " + i, node2.stats().errorsFromPeers() > peerErrors);
                channel.finishAndReleaseAll();
            }
        });
    }

    /**
     * No exception escaped; a connection the node closed said why with an Error as its last
     * frame, unless the fuzzer's own input was an Error (which the node answers by closing).
     */
    private static void checkOutcome(EmbeddedChannel channel, String label, boolean peerSentError) {
        try {
            channel.runPendingTasks();
            channel.checkException();
        } catch (Throwable e) {
            fail(label + ": exception escaped the pipeline", e);
        }
        List<PeerFrame> written = drainOutbound(channel);
        if (!channel.isOpen() && !peerSentError) {
            assertTrue(!written.isEmpty(), label + ": closed without a word");
            PeerFrame last = written.get(written.size() - 1);
            assertTrue(last.hasError() || last.hasSealed(), label + ": last frame is not an Error: " + last.getKindCase());
        }
        channel.finishAndReleaseAll();
    }

    private record Session(FakeSealer sealer) {}

    /** Seals records the way a peer would, including arbitrary (mutated) plaintext. */
    private static final class FakeSealer {
        private final RecordCipher cipher;

        FakeSealer(byte[] key) {
            this.cipher = RecordCipher.sealer(key, Long.MAX_VALUE, Long.MAX_VALUE);
        }

        org.paxosdns.proto.Sealed sealPlaintext(byte[] plain) {
            return Sealing.seal(cipher, plain);
        }
    }

    private static Session handshake(EmbeddedChannel channel) throws Exception {
        LocalNode node0 = LocalNode.of(roster, 0, TestKeys.server(0));
        Handshakes.DialerHello hello = Handshakes.hello(node0, roster.server(2), new SecureRandom(), System.currentTimeMillis());
        channel.writeInbound(Unpooled.wrappedBuffer(frameOf(WireFormat.frame().setHello(hello.frame()).build())));
        List<PeerFrame> answer = drainOutbound(channel);
        assertEquals(2, answer.size(), "HelloAck and Finished");
        Handshakes.AcceptedAck ack = Handshakes.checkAck(node0, roster.server(2), hello, answer.get(0).getHelloAck());
        Handshakes.SessionSecrets secrets = Handshakes.derive(hello.helloBytes(), ack.ackBytes(), hello.salt(),
                ack.salt(), hello.share(), ack.share());
        FakeSealer sealer = new FakeSealer(secrets.dialerToAcceptor());
        byte[] finished = SessionRecord.newBuilder().addMessages(SessionMessage.newBuilder()
                .setFinished(Finished.newBuilder().setTranscriptHash(ByteString.copyFrom(secrets.transcriptHash())))).build()
                .toByteArray();
        channel.writeInbound(Unpooled.wrappedBuffer(frameOf(WireFormat.frame().setSealed(sealer.sealPlaintext(finished)).build())));
        return new Session(sealer);
    }

    private static SessionRecord sessionRecord(Random random) {
        SessionRecord.Builder record = SessionRecord.newBuilder();
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            byte[] contents = new byte[random.nextInt(64)];
            random.nextBytes(contents);
            record.addMessages(random.nextBoolean()
                    ? SessionMessage.newBuilder().setKeepAlive(KeepAlive.newBuilder().setMsgN(random.nextLong())).build()
                    : SessionMessage.newBuilder().setAppMsg(AppMsg.newBuilder().setAppNdx(random.nextInt(300))
                            .setContents(ByteString.copyFrom(contents))).build());
        }
        return record.build();
    }

    private static List<byte[]> handshakeCorpus() {
        LocalNode node0 = LocalNode.of(roster, 0, TestKeys.server(0));
        LocalNode node1 = LocalNode.of(roster, 1, TestKeys.server(1));
        SecureRandom random = new SecureRandom();
        List<byte[]> corpus = new ArrayList<>();
        corpus.add(frameOf(WireFormat.frame().setHello(
                Handshakes.hello(node0, roster.server(2), random, System.currentTimeMillis()).frame()).build()));
        corpus.add(frameOf(WireFormat.frame().setHello(
                Handshakes.hello(node1, roster.server(2), random, System.currentTimeMillis()).frame()).build()));
        corpus.add(frameOf(WireFormat.frame().setError(WireFormat.error(
                org.paxosdns.proto.PeerErrorCode.MALFORMED, "x")).build()));
        corpus.add(new byte[] {0, 0, 0, 0});
        corpus.add(new byte[] {0, 0, 0, 2, 8, 1});
        return corpus;
    }

    private static byte[] mutate(Random random, byte[] base, List<byte[]> corpus) {
        byte[] bytes = base.clone();
        switch (random.nextInt(7)) {
            case 0 -> {
                for (int i = 0, n = 1 + random.nextInt(8); i < n && bytes.length > 0; i++) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            case 2 -> {
                byte[] noise = new byte[random.nextInt(64)];
                random.nextBytes(noise);
                int at = random.nextInt(bytes.length + 1);
                byte[] out = new byte[bytes.length + noise.length];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(noise, 0, out, at, noise.length);
                System.arraycopy(bytes, at, out, at + noise.length, bytes.length - at);
                bytes = out;
            }
            case 3 -> {
                if (bytes.length >= 4) {
                    int length = random.nextBoolean() ? random.nextInt() : random.nextInt(bytes.length + 16);
                    bytes[0] = (byte) (length >>> 24);
                    bytes[1] = (byte) (length >>> 16);
                    bytes[2] = (byte) (length >>> 8);
                    bytes[3] = (byte) length;
                }
            }
            case 4 -> {
                byte[] other = corpus.isEmpty() ? bytes : corpus.get(random.nextInt(corpus.size()));
                byte[] out = Arrays.copyOf(bytes, bytes.length + other.length);
                System.arraycopy(other, 0, out, bytes.length, other.length);
                bytes = out;
            }
            case 5 -> {
                bytes = new byte[random.nextInt(256)];
                random.nextBytes(bytes);
            }
            default -> {
                // unchanged: valid frames must also pass through the property
            }
        }
        return bytes;
    }

    private static void feed(Random random, EmbeddedChannel channel, byte[] input) {
        int at = 0;
        while (at < input.length && channel.isOpen()) {
            int n = Math.min(input.length - at, 1 + random.nextInt(Math.max(1, input.length)));
            channel.writeInbound(Unpooled.wrappedBuffer(input, at, n));
            at += n;
        }
    }

    private static List<PeerFrame> drainOutbound(EmbeddedChannel channel) {
        List<PeerFrame> frames = new ArrayList<>();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) out;
            try {
                if (buf.readableBytes() == 0) {
                    continue;
                }
                int length = buf.readInt();
                byte[] body = new byte[length];
                buf.readBytes(body);
                frames.add(PeerFrame.parseFrom(body));
            } catch (InvalidProtocolBufferException e) {
                fail("the node wrote an unparseable frame", e);
            } finally {
                buf.release();
            }
        }
        return frames;
    }

    private static byte[] frameOf(PeerFrame frame) {
        byte[] body = frame.toByteArray();
        byte[] out = new byte[4 + body.length];
        out[0] = (byte) (body.length >>> 24);
        out[1] = (byte) (body.length >>> 16);
        out[2] = (byte) (body.length >>> 8);
        out[3] = (byte) body.length;
        System.arraycopy(body, 0, out, 4, body.length);
        return out;
    }
}
