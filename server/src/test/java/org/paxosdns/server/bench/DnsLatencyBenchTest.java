package org.paxosdns.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/** The DNS latency client: its query file, and every query of a window matched to its answer on a real socket. */
class DnsLatencyBenchTest {
    @TempDir
    Path dir;

    @Test
    void readsDnsperfLinesAsPlainQueriesAndRefusesBadOnes() throws IOException {
        Path file = Files.writeString(dir.resolve("q.txt"), "host1.bench.test A\n; comment\n\nnx.bench.test AAAA\n");
        List<byte[]> queries = DnsLatencyBench.readQueries(file);
        assertEquals(2, queries.size());
        Message second = new Message(queries.get(1));
        assertEquals("nx.bench.test.", second.getQuestion().getName().toString());
        assertEquals(Type.AAAA, second.getQuestion().getType());
        assertEquals(null, second.getOPT(), "no EDNS, as dnsperf sends without -e");
        assertThrows(IOException.class, () -> DnsLatencyBench.readQueries(Files.writeString(dir.resolve("t"), "a.test NOTATYPE\n")));
        assertThrows(IOException.class, () -> DnsLatencyBench.readQueries(Files.writeString(dir.resolve("e"), "; nothing\n")));
    }

    @Test
    void countsEveryAnswerOfTheWindowAndNoneTwice() throws Exception {
        try (DatagramChannel echo = DatagramChannel.open()) {
            echo.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread server = new Thread(() -> answerEachTwice(echo), "echo");
            server.start();
            List<byte[]> queries = DnsLatencyBench.readQueries(Files.writeString(dir.resolve("q"), "a.test A\nb.test TXT\n"));
            DnsLatencyBench.Result r = DnsLatencyBench.run((InetSocketAddress) echo.getLocalAddress(), queries, 2_000, 0.5);
            assertEquals(1_000, r.sent());
            assertEquals(r.sent(), r.answered(), "a duplicate answer must not count, a missing one would show here");
            assertEquals(0, r.lost());
            assertEquals(r.answered(), r.latencyNanos().getTotalCount());
            assertTrue(r.latencyNanos().getMaxValue() > 0);
        }
    }

    /** Sends every datagram back twice, as a server that answered a query twice would. */
    private static void answerEachTwice(DatagramChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(DnsLatencyBench.ANSWER_BYTES_MAX);
        try {
            while (true) {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                buffer.flip();
                channel.send(buffer.duplicate(), from);
                channel.send(buffer, from);
            }
        } catch (ClosedChannelException e) {
            // the test is over
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
