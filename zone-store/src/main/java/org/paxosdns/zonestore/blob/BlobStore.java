package org.paxosdns.zonestore.blob;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The content-addressed store of zone files on one server: {@code <dir>/blobs/ab/abcdef…},
 * each file named by the lower-case hex SHA3-256 of its bytes. A put is durable when it
 * returns (temp file, fsync, rename, fsync of the directory); a get re-hashes the bytes and
 * deletes a file that no longer matches its name, reporting it missing, so a corrupt zone is
 * never served and is fetched again from a peer. Safe for use from many threads.
 */
public final class BlobStore implements BlobSource {
    private static final System.Logger LOG = System.getLogger(BlobStore.class.getName());
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path blobs;
    private final BlobStoreLimits limits;
    private final LongSupplier clockMs;
    private final Map<ContentHash, Long> sizes = new ConcurrentHashMap<>();
    private final Map<ContentHash, Long> unreferencedSinceMs = new ConcurrentHashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong corruptFound = new AtomicLong();
    private final SecureRandom random = new SecureRandom();

    private BlobStore(Path blobs, BlobStoreLimits limits, LongSupplier clockMs) {
        this.blobs = blobs;
        this.limits = limits;
        this.clockMs = clockMs;
    }

    /**
     * Opens (creating if needed) the store under {@code dir}, deletes temp files a crash left
     * behind and counts the blobs present. {@code clockMs} drives garbage collection only.
     */
    public static BlobStore open(Path dir, BlobStoreLimits limits, LongSupplier clockMs) throws IOException {
        BlobStore store = new BlobStore(dir.resolve("blobs"), limits, clockMs);
        Files.createDirectories(store.blobs);
        store.scan();
        return store;
    }

    /**
     * Stores {@code content} durably and returns its address. Storing bytes already present
     * writes nothing. Refuses a blob over the per-blob limit or one the store has no room for.
     */
    public ContentHash put(byte[] content) throws IOException, BlobStoreException {
        return put(VerifiedBlob.of(content));
    }

    /** {@link #put(byte[])} for bytes already hashed: the address is not computed again. */
    public ContentHash put(VerifiedBlob blob) throws IOException, BlobStoreException {
        byte[] content = blob.content();
        if (content.length > limits.blobBytesMax()) {
            throw new BlobStoreException("blob of " + content.length + " bytes exceeds blobBytesMax="
                    + limits.blobBytesMax());
        }
        ContentHash hash = blob.hash();
        synchronized (this) {
            if (sizes.containsKey(hash) && Files.exists(pathOf(hash))) {
                unreferencedSinceMs.put(hash, clockMs.getAsLong());
                return hash;
            }
        }
        reserve(content.length);
        try {
            writeDurably(hash, content);
        } catch (IOException | RuntimeException e) {
            totalBytes.addAndGet(-content.length);
            throw e;
        }
        synchronized (this) {
            if (sizes.putIfAbsent(hash, (long) content.length) != null) {
                totalBytes.addAndGet(-content.length);
            }
            unreferencedSinceMs.put(hash, clockMs.getAsLong());
        }
        return hash;
    }

    /** The verified bytes of {@code hash}; empty when missing or corrupt (a corrupt file is deleted). */
    public Optional<byte[]> get(ContentHash hash) {
        return read(hash).map(VerifiedBlob::content);
    }

    /** {@link #get}, with the proof that the bytes were hashed. */
    @Override
    public Optional<VerifiedBlob> read(ContentHash hash) {
        Path path = pathOf(hash);
        byte[] content;
        try {
            if (Files.size(path) > limits.blobBytesMax()) {
                discardCorrupt(hash, "larger than blobBytesMax=" + limits.blobBytesMax());
                return Optional.empty();
            }
            content = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            forget(hash);
            return Optional.empty();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "blob " + hash + " unreadable: " + e.getMessage());
            return Optional.empty();
        }
        Optional<VerifiedBlob> verified = VerifiedBlob.ifMatches(hash, content);
        if (verified.isEmpty()) {
            discardCorrupt(hash, "its bytes hash to " + ContentHash.of(content));
        }
        return verified;
    }

    /** True when a file for {@code hash} exists; cheap, does not re-hash (use {@link #get} to serve). */
    public boolean has(ContentHash hash) {
        return Files.exists(pathOf(hash));
    }

    /** Deletes the blob; true when there was one. */
    public boolean delete(ContentHash hash) throws IOException {
        boolean existed = Files.deleteIfExists(pathOf(hash));
        forget(hash);
        return existed;
    }

    /**
     * Deletes every blob that is not in {@code referenced} and has been unreferenced (or
     * stored) for at least the grace period, by the injected clock. The caller passes the
     * hashes of the applied state and of accepted-but-unapplied commands. Returns what it deleted.
     */
    public synchronized List<ContentHash> collectGarbage(Set<ContentHash> referenced) throws IOException {
        long now = clockMs.getAsLong();
        List<ContentHash> deleted = new ArrayList<>();
        for (ContentHash hash : List.copyOf(sizes.keySet())) {
            if (referenced.contains(hash)) {
                unreferencedSinceMs.remove(hash);
                continue;
            }
            long since = unreferencedSinceMs.computeIfAbsent(hash, h -> now);
            if (now - since >= limits.unreferencedGraceMs()) {
                delete(hash);
                deleted.add(hash);
            }
        }
        return deleted;
    }

    /** Bytes in all blobs together (what {@link BlobStoreLimits#storeBytesMax()} bounds). */
    public long totalBytes() {
        return totalBytes.get();
    }

    /** The addresses of all blobs present. */
    public Set<ContentHash> hashes() {
        return Set.copyOf(sizes.keySet());
    }

    /** How many corrupt blobs {@link #get} has found and deleted since the store was opened. */
    public long corruptBlobsFound() {
        return corruptFound.get();
    }

    /** Where the blob of {@code hash} lives (whether or not it exists). */
    public Path pathOf(ContentHash hash) {
        String hex = hash.toHex();
        return blobs.resolve(hex.substring(0, 2)).resolve(hex);
    }

    private void reserve(long bytes) throws BlobStoreException {
        while (true) {
            long current = totalBytes.get();
            if (current + bytes > limits.storeBytesMax()) {
                throw new BlobStoreException("blob store full: " + current + " + " + bytes
                        + " bytes exceeds storeBytesMax=" + limits.storeBytesMax());
            }
            if (totalBytes.compareAndSet(current, current + bytes)) {
                return;
            }
        }
    }

    private void writeDurably(ContentHash hash, byte[] content) throws IOException {
        Path target = pathOf(hash);
        Path shard = target.getParent();
        if (!Files.isDirectory(shard)) {
            Files.createDirectories(shard);
            fsyncDirectory(blobs);
        }
        Path temp = shard.resolve("." + hash.toHex() + "." + nonce() + TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        fsyncDirectory(shard);
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private String nonce() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private void discardCorrupt(ContentHash hash, String why) {
        corruptFound.incrementAndGet();
        LOG.log(Level.WARNING, "blob " + hash + " is corrupt (" + why + "): deleted, fetch it again from a peer");
        try {
            delete(hash);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete corrupt blob " + hash + ": " + e.getMessage());
        }
    }

    private void forget(ContentHash hash) {
        Long size = sizes.remove(hash);
        if (size != null) {
            totalBytes.addAndGet(-size);
        }
        unreferencedSinceMs.remove(hash);
    }

    private void scan() throws IOException {
        long now = clockMs.getAsLong();
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(blobs)) {
            for (Path shard : shards) {
                if (Files.isDirectory(shard)) {
                    scanShard(shard, now);
                } else {
                    LOG.log(Level.WARNING, "ignoring stray file in the blob store: " + shard);
                }
            }
        }
    }

    private void scanShard(Path shard, long now) throws IOException {
        String prefix = shard.getFileName().toString();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(TEMP_SUFFIX)) {
                    LOG.log(Level.INFO, "deleting a temp file left by a crash: " + file);
                    Files.deleteIfExists(file);
                } else if (ContentHash.isHexName(name) && name.startsWith(prefix)) {
                    long size = Files.size(file);
                    sizes.put(ContentHash.fromHex(name), size);
                    totalBytes.addAndGet(size);
                    unreferencedSinceMs.put(ContentHash.fromHex(name), now);
                } else {
                    LOG.log(Level.WARNING, "ignoring stray file in the blob store: " + file);
                }
            }
        }
    }
}
