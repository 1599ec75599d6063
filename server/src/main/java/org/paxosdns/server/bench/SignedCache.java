package org.paxosdns.server.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.paxosdns.identity.CommanderKey;
import org.paxosdns.server.kv.KvCommandBuilder;
import org.paxosdns.server.process.LocalCluster;

/**
 * Signed key-value puts for a benchmark cluster, cached beside its never-started template: an
 * RSA signature costs milliseconds, so signing 100,000 commands takes minutes on this machine,
 * and a fresh copy of the template has the same cluster ID, so the same commands are valid in
 * every run. File: "PXBSIGN" magic, format version u32 = 1, count u32, then count length-prefixed commands.
 */
final class SignedCache {
    private static final String MAGIC = "PXBSIGN";
    private static final int FORMAT_VERSION = 1;
    /** Largest cached command accepted on load, in bytes. */
    static final int COMMAND_BYTES_MAX = 16 * 1024;

    private SignedCache() {
    }

    /** Puts with seqs 1..count of keys k0..k9999 and {@code valueBytes}-byte values, from the cache or signed now. */
    static byte[][] load(LocalCluster template, int count, int valueBytes, PrintStream log) throws Exception {
        Path cached = cacheHolding(template.dir(), count, valueBytes);
        if (cached != null) {
            return read(cached, count);
        }
        Path file = template.dir().resolve("bench-signed-" + count + "-" + valueBytes + ".bin");
        log.printf("bench: signing %d commands (cached in %s for later runs)%n", count, file);
        long t0 = System.nanoTime();
        CommanderKey key = CommanderKey.load(template.commanderKey(), template.roster());
        String value = "v".repeat(valueBytes);
        ThreadLocal<KvCommandBuilder> builders = ThreadLocal.withInitial(
                () -> new KvCommandBuilder(template.roster().clusterId(), key.id(), key.signing().getPrivate()));
        byte[][] signed = new byte[count][];
        IntStream.range(0, count).parallel().forEach(i -> signed[i] = builders.get().put(i + 1, "k" + (i % WriteBench.KEYS), value));
        log.printf("bench: signed in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        write(file, signed);
        return signed;
    }

    /** A cache file of at least {@code count} commands with values of {@code valueBytes}, or null. */
    private static Path cacheHolding(Path dir, int count, int valueBytes) throws IOException {
        java.util.regex.Pattern name = java.util.regex.Pattern.compile("bench-signed-(\\d+)-" + valueBytes + "\\.bin");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                java.util.regex.Matcher m = name.matcher(f.getFileName().toString());
                return m.matches() && Long.parseLong(m.group(1)) >= count;
            }).findFirst().orElse(null);
        }
    }

    /** The first {@code count} commands of a cache file. */
    private static byte[][] read(Path file, int count) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            byte[] magic = in.readNBytes(MAGIC.length());
            if (!MAGIC.equals(new String(magic, java.nio.charset.StandardCharsets.US_ASCII)) || in.readInt() != FORMAT_VERSION
                    || in.readInt() < count) {
                throw new IOException(file + " is not a cache of " + count + " signed commands (delete it)");
            }
            byte[][] signed = new byte[count][];
            for (int i = 0; i < count; i++) {
                int length = in.readInt();
                if (length < 0 || length > COMMAND_BYTES_MAX) {
                    throw new IOException(file + ": command of " + length + " bytes");
                }
                signed[i] = in.readNBytes(length);
            }
            return signed;
        }
    }

    private static void write(Path file, byte[][] signed) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.write(MAGIC.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.writeInt(FORMAT_VERSION);
            out.writeInt(signed.length);
            for (byte[] command : signed) {
                out.writeInt(command.length);
                out.write(command);
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Copies the template's roster, keys, node configurations and empty data directories, not the caches or the lock. */
    static void copyCluster(Path template, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(template)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path rel = template.relativize(p);
                if (rel.getFileName().toString().startsWith("bench")) { // signed-command caches and the lock
                    continue;
                }
                Path to = target.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** Deletes a run's directory tree. */
    static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
