package org.paxosdns.server.blob;

import java.util.List;

/** What blob transfer needs of the mesh: the peers and a low-priority send to one of them. */
public interface BlobLink {
    /** Queues {@code bytes} for {@code peer} behind consensus traffic; false when dropped. */
    boolean sendBulk(int peer, byte[] bytes);

    /** Every other server's index, up or not. */
    List<Integer> peers();
}
