package org.paxosdns.server.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The same load against etcd: puts of the same key set and value size through etcd's v3 JSON
 * gateway ({@code POST /v3/kv/put}), one keep-alive HTTP/1.1 connection per client thread,
 * connections spread over the endpoints. There is no etcd client library in the build, and the
 * raw socket keeps the client's own cost small.
 */
public final class EtcdLoad {
    /** Largest response header block read, in bytes. */
    static final int HEADER_BYTES_MAX = 16 * 1024;

    private EtcdLoad() {
    }

    /**
     * A warm-up run of {@code warmup} puts, then the timed run of {@code commands}, with the CPU per
     * write of the members named by {@code memberPids} (may be empty) and of this client.
     */
    public static ClosedLoop.Result run(List<InetSocketAddress> endpoints, int commands, int warmup, int clients, int valueBytes,
                                        List<Long> memberPids, java.io.PrintStream log) throws Exception {
        String value = Base64.getEncoder().encodeToString("v".repeat(valueBytes).getBytes(StandardCharsets.US_ASCII));
        ClosedLoop.Result warm = ClosedLoop.run(warmup, clients, thread -> connection(endpoints, thread, value));
        log.println("bench: etcd warm-up " + warm.figures() + " " + warm.failures());
        CpuMeter cpu = CpuMeter.start(java.util.stream.IntStream.range(0, memberPids.size()).mapToObj(i -> "m" + i).toList(),
                memberPids);
        ClosedLoop.Result timed = ClosedLoop.run(commands, clients, thread -> connection(endpoints, thread, value));
        return timed.withCpu(cpu.perOperation(timed.operations()));
    }

    private static ClosedLoop.Operation connection(List<InetSocketAddress> endpoints, int thread, String value) throws IOException {
        InetSocketAddress endpoint = endpoints.get(thread % endpoints.size());
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(endpoint, PipelinedCommanderConnection.CONNECT_TIMEOUT_MS);
        OutputStream out = socket.getOutputStream();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        String host = endpoint.getHostString() + ":" + endpoint.getPort();
        return index -> {
            String key = Base64.getEncoder().encodeToString(("k" + (index % WriteBench.KEYS)).getBytes(StandardCharsets.US_ASCII));
            byte[] body = ("{\"key\":\"" + key + "\",\"value\":\"" + value + "\"}").getBytes(StandardCharsets.US_ASCII);
            byte[] head = ("POST /v3/kv/put HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            out.write(head);
            out.write(body);
            out.flush();
            return readResponse(in);
        };
    }

    /** Reads one response (Content-Length or chunked); null when it is 200 with a header, else the failure. */
    private static String readResponse(InputStream in) throws IOException {
        String headers = readHeaders(in);
        String status = headers.substring(0, Math.max(0, headers.indexOf('\r')));
        String lower = headers.toLowerCase(java.util.Locale.ROOT);
        String body;
        int cl = lower.indexOf("content-length:");
        if (cl >= 0) {
            int end = lower.indexOf('\r', cl);
            body = new String(in.readNBytes(Integer.parseInt(lower.substring(cl + 15, end).trim())), StandardCharsets.UTF_8);
        } else if (lower.contains("transfer-encoding: chunked")) {
            body = readChunked(in);
        } else {
            throw new IOException("response without a length: " + status);
        }
        return status.contains(" 200 ") && body.contains("\"header\"") ? null : status + " " + body;
    }

    private static String readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0 || bytes.size() > HEADER_BYTES_MAX) {
                throw new IOException("connection closed or oversized headers");
            }
            bytes.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1
                    : (b == '\r' ? 1 : 0);
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    private static String readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(readLine(in).trim(), 16);
            if (size == 0) {
                readLine(in);
                return body.toString(StandardCharsets.UTF_8);
            }
            body.write(in.readNBytes(size));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed inside a chunk");
            }
            line.append((char) b);
        }
        return line.toString();
    }
}
