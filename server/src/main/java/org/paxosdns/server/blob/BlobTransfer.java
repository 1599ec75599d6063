package org.paxosdns.server.blob;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.paxosdns.proto.BlobChunk;
import org.paxosdns.proto.BlobFetch;
import org.paxosdns.proto.BlobMessage;
import org.paxosdns.proto.BlobMissing;
import org.paxosdns.proto.BlobStored;
import org.paxosdns.zonestore.blob.BlobStore;
import org.paxosdns.zonestore.blob.BlobStoreException;
import org.paxosdns.zonestore.blob.BlobStoreLimits;
import org.paxosdns.zonestore.blob.ContentHash;

/**
 * Moves zone blobs between servers in chunks: pushes a new blob to every peer and reports when
 * a majority hold it durably (the rule before a command is proposed), and fetches a blob this
 * server lacks or found corrupt. Received blobs are re-hashed and fsynced before anyone is told
 * they are stored. Assemblies in progress are bounded in count and bytes.
 */
public final class BlobTransfer {
    /** The mesh application that carries blob traffic. */
    public static final int BLOB_APP_NDX = 100;
    /** Size of one chunk, in bytes: well under the mesh's frame limit. */
    public static final int CHUNK_BYTES = 256 * 1024;
    /** Most blobs being assembled at once, from all peers. */
    public static final int ASSEMBLIES_MAX = 64;
    /** Most bytes held by blobs being assembled, in bytes. */
    public static final long ASSEMBLY_BYTES_MAX = 256L * 1024 * 1024;
    /** An assembly with no progress for this long is abandoned (its sender died), in milliseconds. */
    public static final long ASSEMBLY_IDLE_MS_MAX = 60_000;

    private record AssemblyKey(int peer, ContentHash hash) {}

    private static final class Assembly {
        final byte[] content;
        final boolean ackWanted;
        final long startedMs;
        long nextOffset;

        Assembly(int size, boolean ackWanted, long startedMs) {
            this.content = new byte[size];
            this.ackWanted = ackWanted;
            this.startedMs = startedMs;
        }
    }

    private static final class Push {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final AtomicInteger acks = new AtomicInteger();
        final int needed;

        Push(int needed) {
            this.needed = needed;
        }
    }

    private final BlobStore store;
    private final BlobLink link;
    private final ExecutorService diskExecutor;
    private final Map<AssemblyKey, Assembly> assemblies = new ConcurrentHashMap<>();
    private final AtomicLong assemblyBytes = new AtomicLong();
    private final Map<ContentHash, Push> pushes = new ConcurrentHashMap<>();
    private final Map<ContentHash, CompletableFuture<byte[]>> fetches = new ConcurrentHashMap<>();
    private final List<Consumer<ContentHash>> arrivals = new CopyOnWriteArrayList<>();
    private final AtomicLong refused = new AtomicLong();

    /** {@code diskExecutor} runs the fsyncs, so mesh threads never wait on the disk. */
    public BlobTransfer(BlobStore store, BlobLink link, ExecutorService diskExecutor) {
        this.store = store;
        this.link = link;
        this.diskExecutor = diskExecutor;
    }

    /** Calls {@code listener} with every blob that arrives from a peer and is now stored. */
    public void onArrival(Consumer<ContentHash> listener) {
        arrivals.add(listener);
    }

    /** Messages refused (malformed, over a limit, failing their hash). */
    public long refusedMessages() {
        return refused.get();
    }

    /**
     * Sends a blob this server stores to every peer; completes when {@code peersNeeded} of them
     * have it durably. The caller bounds the wait.
     */
    public CompletableFuture<Void> replicate(ContentHash hash, byte[] content, int peersNeeded) {
        if (peersNeeded <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        Push push = pushes.computeIfAbsent(hash, h -> new Push(peersNeeded));
        for (int peer : link.peers()) {
            sendChunks(peer, hash, content, true);
        }
        push.done.whenComplete((v, e) -> pushes.remove(hash, push));
        return push.done;
    }

    /** Asks every peer for a blob; completes with the first copy that hashes right and is stored. */
    public CompletableFuture<byte[]> fetch(ContentHash hash) {
        CompletableFuture<byte[]> pending = fetches.computeIfAbsent(hash, h -> new CompletableFuture<>());
        byte[] request = message(b -> b.setFetch(BlobFetch.newBuilder().setContentHash(bytes(hash))));
        for (int peer : link.peers()) {
            link.sendBulk(peer, request);
        }
        pending.whenComplete((v, e) -> fetches.remove(hash, pending));
        return pending;
    }

    /** Handles one blob message from {@code peer}; called on a mesh thread, never blocks on disk. */
    public void onMessage(int peer, byte[] bytes) {
        BlobMessage message;
        try {
            message = BlobMessage.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            refused.incrementAndGet();
            return;
        }
        if (message.getFormatVersion() != 1) {
            refused.incrementAndGet();
            return;
        }
        switch (message.getKindCase()) {
            case CHUNK -> onChunk(peer, message.getChunk());
            case STORED -> hash(message.getStored().getContentHash()).ifPresent(this::onStored);
            case FETCH -> hash(message.getFetch().getContentHash()).ifPresent(h -> onDisk(() -> serveFetch(peer, h)));
            case MISSING, KIND_NOT_SET -> { } // another peer may have it; the fetch waits for one that does
        }
    }

    private void onStored(ContentHash hash) {
        Push push = pushes.get(hash);
        if (push != null && push.acks.incrementAndGet() >= push.needed) {
            push.done.complete(null);
        }
    }

    private void serveFetch(int peer, ContentHash hash) {
        Optional<byte[]> content = store.get(hash);
        if (content.isPresent()) {
            sendChunks(peer, hash, content.get(), false);
        } else {
            link.sendBulk(peer, message(b -> b.setMissing(BlobMissing.newBuilder().setContentHash(bytes(hash)))));
        }
    }

    private void onChunk(int peer, BlobChunk chunk) {
        Optional<ContentHash> maybeHash = hash(chunk.getContentHash());
        long total = chunk.getTotalBytes();
        if (maybeHash.isEmpty() || total < 0 || total > BlobStoreLimits.BLOB_BYTES_MAX
                || chunk.getOffset() < 0 || chunk.getOffset() + chunk.getData().size() > total) {
            refused.incrementAndGet();
            return;
        }
        ContentHash hash = maybeHash.get();
        AssemblyKey key = new AssemblyKey(peer, hash);
        Assembly assembly = assemblies.get(key);
        if (chunk.getOffset() == 0) {
            drop(key); // a blob's first chunk (re)starts its assembly: a resent push begins again
            assembly = begin(key, (int) total, chunk.getDurableAckWanted());
        }
        if (assembly == null || chunk.getOffset() != assembly.nextOffset || assembly.content.length != total) {
            drop(key); // chunks of one blob arrive in order on one connection; anything else is a broken transfer
            refused.incrementAndGet();
            return;
        }
        chunk.getData().copyTo(assembly.content, (int) chunk.getOffset());
        assembly.nextOffset += chunk.getData().size();
        if (assembly.nextOffset == total) {
            drop(key);
            Assembly complete = assembly;
            onDisk(() -> store(peer, hash, complete));
        }
    }

    /** Runs disk work off the mesh thread; when its queue is full the message is dropped and counted. */
    private void onDisk(Runnable work) {
        try {
            diskExecutor.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            refused.incrementAndGet(); // the sender's push or fetch times out and is tried again
        }
    }

    private Assembly begin(AssemblyKey key, int total, boolean ackWanted) {
        long now = System.currentTimeMillis();
        assemblies.entrySet().removeIf(e -> {
            boolean idle = now - e.getValue().startedMs > ASSEMBLY_IDLE_MS_MAX;
            if (idle) {
                assemblyBytes.addAndGet(-e.getValue().content.length);
            }
            return idle;
        });
        if (assemblies.size() >= ASSEMBLIES_MAX || assemblyBytes.get() + total > ASSEMBLY_BYTES_MAX) {
            return null;
        }
        Assembly assembly = new Assembly(total, ackWanted, now);
        assemblyBytes.addAndGet(total);
        assemblies.put(key, assembly);
        return assembly;
    }

    private void drop(AssemblyKey key) {
        Assembly old = assemblies.remove(key);
        if (old != null) {
            assemblyBytes.addAndGet(-old.content.length);
        }
    }

    private void store(int peer, ContentHash hash, Assembly assembly) {
        if (!hash.matches(assembly.content)) {
            refused.incrementAndGet();
            return; // a corrupt or forged copy: never stored, never acknowledged
        }
        try {
            store.put(assembly.content);
        } catch (IOException | BlobStoreException e) {
            refused.incrementAndGet();
            return;
        }
        if (assembly.ackWanted) {
            link.sendBulk(peer, message(b -> b.setStored(BlobStored.newBuilder().setContentHash(bytes(hash)))));
        }
        CompletableFuture<byte[]> fetch = fetches.get(hash);
        if (fetch != null) {
            fetch.complete(assembly.content);
        }
        for (Consumer<ContentHash> listener : arrivals) {
            listener.accept(hash);
        }
    }

    private void sendChunks(int peer, ContentHash hash, byte[] content, boolean ackWanted) {
        List<byte[]> chunks = new ArrayList<>();
        int offset = 0;
        do {
            int length = Math.min(CHUNK_BYTES, content.length - offset);
            int at = offset;
            chunks.add(message(b -> b.setChunk(BlobChunk.newBuilder().setContentHash(bytes(hash))
                    .setTotalBytes(content.length).setOffset(at).setData(ByteString.copyFrom(content, at, length))
                    .setDurableAckWanted(ackWanted))));
            offset += length;
        } while (offset < content.length);
        for (byte[] chunk : chunks) {
            if (!link.sendBulk(peer, chunk)) {
                return; // dropped: the peer is down or its queue is full; a later push or fetch retries
            }
        }
    }

    private static byte[] message(Consumer<BlobMessage.Builder> fill) {
        BlobMessage.Builder builder = BlobMessage.newBuilder().setFormatVersion(1);
        fill.accept(builder);
        return builder.build().toByteArray();
    }

    private static ByteString bytes(ContentHash hash) {
        return ByteString.copyFrom(hash.toBytes());
    }

    private static Optional<ContentHash> hash(ByteString bytes) {
        try {
            return Optional.of(ContentHash.fromBytes(bytes.toByteArray()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
