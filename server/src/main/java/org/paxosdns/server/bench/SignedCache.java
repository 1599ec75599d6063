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
import java.security.KeyPair;
import java.util.List;
import org.paxosdns.identity.CommanderEntry;
import org.paxosdns.identity.CommanderKey;
import org.paxosdns.identity.KeyFiles;
import org.paxosdns.identity.Keys;
import org.paxosdns.server.kv.KvCommandBuilder;
import org.paxosdns.server.process.LocalCluster;

/**
 * Signed key-value puts for a benchmark cluster, cached beside its never-started template: an
 * RSA signature costs milliseconds, so signing 100,000 commands takes minutes on this machine,
 * and a fresh copy of the template has the same cluster ID, so the same commands are valid in
 * every run. Command i belongs to commander i mod {@link #COMMANDERS} (seq i / COMMANDERS + 1):
 * with one commander, a write held up longer than 1,024 of its commander's later seqs take to
 * apply (about 0.2 s at 5,000 writes/s) lands below the exactly-once window and is answered
 * OUTCOME_UNKNOWN; sixteen commanders give each write sixteen times as long.
 * File: "PXBSIGN" magic, format version u32 = 1, count u32, then count length-prefixed commands.
 */
final class SignedCache {
    private static final String MAGIC = "PXBSIGN";
    private static final int FORMAT_VERSION = 1;
    /** Largest cached command accepted on load, in bytes. */
    static final int COMMAND_BYTES_MAX = 16 * 1024;

    /** Commanders the bench's commands are spread over, each with its own key and seqs. */
    static final int COMMANDERS = 16;
    /** Where the template keeps the bench commanders' private keys. */
    static final String COMMANDER_KEYS_DIR = "bench-commanders";

    private SignedCache() {
    }

    /**
     * The template cluster in {@code dir}: made with {@link #COMMANDERS} commanders in its roster
     * (keys kept in {@link #COMMANDER_KEYS_DIR}) when it does not exist yet; an older template
     * without them is refused with what to do.
     */
    static LocalCluster prepareTemplate(Path dir, int nodes, int rsaBits) throws Exception {
        Path keys = dir.resolve(COMMANDER_KEYS_DIR);
        if (!Files.exists(dir.resolve(org.paxosdns.server.config.ClusterInit.ROSTER_FILE))) {
            List<KeyPair> pairs = IntStream.range(0, COMMANDERS).parallel().mapToObj(i -> Keys.generate(rsaBits)).toList();
            Files.createDirectories(keys);
            List<CommanderEntry> entries = new java.util.ArrayList<>();
            for (int i = 0; i < COMMANDERS; i++) {
                KeyFiles.writePrivate(keys.resolve(commanderId(i) + ".key"), pairs.get(i).getPrivate());
                entries.add(new CommanderEntry(commanderId(i), pairs.get(i).getPublic(), List.of(".")));
            }
            return LocalCluster.prepare(dir, nodes, LocalCluster.freeBasePort(nodes), rsaBits, entries);
        }
        if (!Files.isDirectory(keys)) {
            throw new IOException(dir + " is a bench template from before the bench used " + COMMANDERS
                    + " commanders: delete it (or pass another --dir)");
        }
        return LocalCluster.prepare(dir, nodes, 0, rsaBits);
    }

    static String commanderId(int i) {
        return "bench" + i;
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
        List<KvCommandBuilder> builders = new java.util.ArrayList<>();
        for (int c = 0; c < COMMANDERS; c++) {
            CommanderKey key = CommanderKey.load(template.dir().resolve(COMMANDER_KEYS_DIR).resolve(commanderId(c) + ".key"),
                    template.roster());
            builders.add(new KvCommandBuilder(template.roster().clusterId(), key.id(), key.signing().getPrivate()));
        }
        String value = "v".repeat(valueBytes);
        byte[][] signed = new byte[count][];
        IntStream.range(0, count).parallel().forEach(i -> signed[i] = builders.get(i % COMMANDERS)
                .put(i / COMMANDERS + 1, "k" + (i % WriteBench.KEYS), value));
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
